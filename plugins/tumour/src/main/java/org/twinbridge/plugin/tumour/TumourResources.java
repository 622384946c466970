package org.twinbridge.plugin.tumour;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.StringJoiner;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.StringType;

/**
 * Builds the FHIR resources and one-line summaries the tumour twin emits. Resources name the subject by
 * pseudonym only; summaries carry regimen ids and RECIST categories, never a measurement.
 */
final class TumourResources {

    static final String SYSTEM = "urn:twinbridge:tumour-twin";
    /** RECIST 1.1 categories (CR, PR, SD, PD), in TwinBridge's system: no standard code system fits them as-is. */
    static final String RECIST_SYSTEM = "urn:twinbridge:recist-1.1";
    static final String FORECAST = "tumour-size-forecast";
    static final String UCUM = "http://unitsofmeasure.org";
    private static final String METHOD = "Gompertz growth with a Norton-Simon chemotherapy term, fitted per patient"
            + " (maximum a posteriori), simulated by RK4";

    private TumourResources() {
    }

    static Observation forecast(String subject, RegimenProjector.Projection projection,
            RegimenProjector.Outcome outcome, Instant now) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding(SYSTEM, FORECAST,
                "Predicted sum of target-lesion diameters under a regimen")).setText(
                        "Predicted sum of target-lesion diameters: " + outcome.regimen().id()));
        observation.setSubject(patient(subject));
        observation.setEffective(new Period().setStartElement(dateTime(projection.from()))
                .setEndElement(dateTime(projection.to())));
        observation.setIssued(Date.from(now));
        observation.setMethod(new CodeableConcept().setText(METHOD));
        SampledData weekly = new SampledData();
        weekly.setOrigin((SimpleQuantity) new SimpleQuantity().setValue(0).setSystem(UCUM).setCode("mm")
                .setUnit("mm"));
        weekly.setPeriod(Duration.ofDays(7).toMillis());
        weekly.setDimensions(1);
        StringJoiner data = new StringJoiner(" ");
        outcome.weeklyMm().forEach(mm -> data.add(decimal(mm, 1).toPlainString()));
        weekly.setData(data.toString());
        observation.setValue(weekly);
        observation.addComponent().setCode(code("regimen", "Regimen simulated"))
                .setValue(new StringType(outcome.regimen().id() + ": " + outcome.regimen().description()));
        observation.addComponent().setCode(code("size-at-horizon", "Predicted sum of diameters at the horizon"))
                .setValue(quantity(outcome.atHorizonMm(), 1, "mm", "mm"));
        observation.addComponent().setCode(code("change-from-baseline", "Predicted change from baseline"))
                .setValue(quantity(outcome.changePercent(), 1, "%", "%"));
        observation.addComponent().setCode(code("recist-projected", "Projected RECIST 1.1 category"))
                .setValue(recist(outcome.category()));
        observation.addNote().setText(fitNote(projection));
        return observation;
    }

    static String forecastSummary(RegimenProjector.Outcome outcome, int horizonWeeks) {
        return "Tumour forecast (" + outcome.regimen().id() + "): " + outcome.category() + " at " + horizonWeeks
                + " weeks";
    }

    static RiskAssessment response(String subject, RegimenProjector.Projection projection, int horizonWeeks) {
        RiskAssessment assessment = new RiskAssessment();
        assessment.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL);
        assessment.setCode(new CodeableConcept(new Coding(SYSTEM, "recist-projection",
                "Projected RECIST 1.1 response by regimen")).setText("Projected RECIST 1.1 response by regimen"));
        assessment.setSubject(patient(subject));
        assessment.setOccurrence(dateTime(projection.from()));
        assessment.setMethod(new CodeableConcept().setText(METHOD));
        for (RegimenProjector.Outcome outcome : projection.outcomes()) {
            CodeableConcept category = recist(outcome.category());
            category.setText(outcome.regimen().id() + ": " + outcome.category());
            assessment.addPrediction().setOutcome(category)
                    .setWhen(new Period().setStartElement(dateTime(projection.from()))
                            .setEndElement(dateTime(projection.to())))
                    .setRationale(String.format(Locale.ROOT,
                            "%s: predicted sum of diameters %+.1f%% from baseline at %d weeks (nadir %.1f mm)",
                            outcome.regimen().id(), outcome.changePercent(), horizonWeeks, outcome.nadirMm()));
        }
        assessment.addNote().setText(fitNote(projection));
        return assessment;
    }

    static String responseSummary(RegimenProjector.Projection projection, int horizonWeeks) {
        StringJoiner parts = new StringJoiner(", ", "Projected RECIST at " + horizonWeeks + " weeks: ", "");
        projection.outcomes().forEach(o -> parts.add(o.regimen().id() + " " + o.category()));
        return parts.toString();
    }

    private static String fitNote(RegimenProjector.Projection p) {
        GompertzFit.Result fit = p.fit();
        return String.format(Locale.ROOT, "Fitted to %d assessments over %.0f days: alpha %.4g/day, K %.1f mm,"
                        + " sensitivity %.3g, RMS log residual %.3f. Drug parameters are illustrative, not calibrated."
                        + " Decision-support demonstration, not a medical device.", p.assessments(), p.spanDays(),
                fit.model().alpha(), fit.model().capacity(), fit.model().sensitivity(), fit.rmsLogResidual());
    }

    private static CodeableConcept recist(RecistCategory category) {
        return new CodeableConcept(new Coding(RECIST_SYSTEM, category.name(), category.display()));
    }

    private static CodeableConcept code(String code, String display) {
        return new CodeableConcept(new Coding(SYSTEM, code, display));
    }

    private static Quantity quantity(double value, int decimals, String ucum, String unit) {
        return new Quantity().setValue(decimal(value, decimals)).setSystem(UCUM).setCode(ucum).setUnit(unit);
    }

    private static BigDecimal decimal(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP);
    }

    private static Reference patient(String subject) {
        return new Reference("Patient/" + subject);
    }

    private static DateTimeType dateTime(Instant at) {
        return new DateTimeType(at.toString());
    }
}
