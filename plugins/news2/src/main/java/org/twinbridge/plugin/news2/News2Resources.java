package org.twinbridge.plugin.news2;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.StringJoiner;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * Builds the FHIR resources and one-line summaries the twin emits for a score. The resources name the
 * subject by pseudonym only; the summaries carry the score, band, trend and missing parameters, never a
 * vital-sign value.
 */
final class News2Resources {

    /** SNOMED CT: Royal College of Physicians NEWS2 (National Early Warning Score 2) total score. */
    static final String SCORE_CODE = "1104051000000101";
    static final String SCORE_DISPLAY =
            "Royal College of Physicians NEWS2 (National Early Warning Score 2) total score";
    /**
     * TwinBridge's own code system for the band: HL7's risk-probability codes (negligible, low, moderate...)
     * are probabilities, which a NEWS2 band is not.
     */
    static final String RISK_SYSTEM = "urn:twinbridge:news2-risk";

    private static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    private News2Resources() {
    }

    static Observation scoreObservation(String subject, News2Score score, Optional<Instant> effective, Instant now) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(OBSERVATION_CATEGORY, "survey", "Survey")));
        observation.setCode(new CodeableConcept(new Coding(LoincVitalSignMapper.SNOMED, SCORE_CODE, SCORE_DISPLAY))
                .setText("NEWS2 total score"));
        observation.setSubject(patient(subject));
        effective.ifPresent(at -> observation.setEffective(dateTime(at)));
        observation.setIssued(Date.from(now));
        observation.setValue(new IntegerType(score.total()));
        if (!score.complete()) {
            observation.addNote().setText("Partial score: " + missing(score)
                    + " not recorded; the total covers the parameters present.");
        }
        return observation;
    }

    static RiskAssessment riskAssessment(String subject, News2Score score, Optional<Instant> effective) {
        RiskAssessment assessment = new RiskAssessment();
        assessment.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL);
        assessment.setCode(new CodeableConcept().setText("NEWS2 clinical risk"));
        assessment.setSubject(patient(subject));
        effective.ifPresent(at -> assessment.setOccurrence(dateTime(at)));
        String band = score.band().code();
        assessment.addPrediction().setQualitativeRisk(
                new CodeableConcept(new Coding(RISK_SYSTEM, band, band)).setText(band));
        return assessment;
    }

    static Flag escalationFlag(String subject, RiskBand band, Instant start) {
        Flag flag = new Flag();
        flag.setStatus(Flag.FlagStatus.ACTIVE);
        flag.setCode(new CodeableConcept().setText(escalationSummary(band)));
        flag.setSubject(patient(subject));
        flag.setPeriod(new Period().setStartElement(dateTime(start)));
        return flag;
    }

    /** For example {@code NEWS2 5 (medium, rising)} or {@code NEWS2 3 (low-medium, without consciousness)}. */
    static String scoreSummary(News2Score score, Optional<Trend> trend) {
        StringJoiner detail = new StringJoiner(", ", " (", ")");
        detail.add(score.band().code());
        trend.ifPresent(t -> detail.add(t.word()));
        if (!score.complete()) {
            detail.add("without " + missing(score));
        }
        return "NEWS2 " + score.total() + detail;
    }

    /** For example {@code NEWS2 risk medium (rising)}. */
    static String riskSummary(RiskBand band, Optional<Trend> trend) {
        return "NEWS2 risk " + band.code() + trend.map(t -> " (" + t.word() + ")").orElse("");
    }

    static String escalationSummary(RiskBand band) {
        return "NEWS2 escalation: " + band.code();
    }

    private static String missing(News2Score score) {
        StringJoiner names = new StringJoiner(", ");
        score.missing().forEach(parameter -> names.add(parameter.label()));
        return names.toString();
    }

    private static Reference patient(String subject) {
        return new Reference("Patient/" + subject);
    }

    private static DateTimeType dateTime(Instant at) {
        // Instant.toString is ISO 8601 in UTC, which is a valid FHIR dateTime at the instant's own precision.
        return new DateTimeType(at.toString());
    }
}
