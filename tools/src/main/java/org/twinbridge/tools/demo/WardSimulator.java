package org.twinbridge.tools.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.embedded.fhir.InMemoryFhirStore;

/**
 * Charts ward observation rounds into the demo EHR while the demo runs, the way nurses' bedside devices
 * write vital signs to a real EHR. The shipped Synthea records carry blood pressure and temperature but no
 * respiration rate, SpO2, pulse or consciousness, so without these rounds no NEWS2 score could be computed.
 *
 * <p>The first patient deteriorates over the rounds (a sepsis-like course: rising respiration rate, pulse
 * and temperature, falling SpO2 and blood pressure, new confusion at the end); the others stay stable with
 * small, seeded variation. Everything here is synthetic.
 */
final class WardSimulator {

    static final int ROUNDS = 8;
    static final int OBSERVATIONS_PER_ROUND = 6;
    private static final Duration ROUND_INTERVAL = Duration.ofMinutes(30);
    private static final String LOINC = "http://loinc.org";
    private static final String UCUM = "http://unitsofmeasure.org";

    private final InMemoryFhirStore ehr;
    private final List<Patient> patients;
    private final Instant lastRoundAt;
    private final Random random = new Random(20171219L);
    private int round;

    WardSimulator(InMemoryFhirStore ehr, Instant now) {
        this.ehr = ehr;
        this.patients = ehr.search(Patient.class, p -> true);
        this.lastRoundAt = now;
    }

    /** Observations the whole simulation will write. */
    long total() {
        return (long) ROUNDS * OBSERVATIONS_PER_ROUND * patients.size();
    }

    boolean finished() {
        return round >= ROUNDS;
    }

    /** Charts the next round for every patient. */
    void chartNextRound() {
        if (finished()) {
            return;
        }
        Instant at = lastRoundAt.minus(ROUND_INTERVAL.multipliedBy(ROUNDS - 1L - round));
        double progress = round / (double) (ROUNDS - 1);
        for (int i = 0; i < patients.size(); i++) {
            String subject = "Patient/" + patients.get(i).getIdElement().getIdPart();
            double d = i == 0 ? progress : 0; // only the first patient deteriorates
            // Consciousness first, so the round's score is complete once its last parameter arrives.
            save(consciousness(subject, at, d >= 0.99));
            save(quantity(subject, at, "9279-1", "Respiratory rate", 16 + 10 * d + jitter(1), "/min", "/min"));
            save(quantity(subject, at, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry",
                    Math.min(100, 97 - 6 * d + jitter(1)), "%", "%"));
            save(quantity(subject, at, "8867-4", "Heart rate", 78 + 47 * d + jitter(3), "/min", "/min"));
            save(bloodPressure(subject, at, 126 - 32 * d + jitter(4), 80 - 20 * d + jitter(3)));
            save(quantity(subject, at, "8310-5", "Body temperature", 36.9 + 2.0 * d + jitter(0.2), "Cel", "Cel"));
        }
        round++;
    }

    private double jitter(double amplitude) {
        return (random.nextDouble() * 2 - 1) * amplitude;
    }

    private void save(Resource resource) {
        ehr.save(resource);
    }

    private static Observation vital(String subject, Instant at, String code, String display) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.addCategory(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
        obs.setCode(new CodeableConcept().addCoding(new Coding(LOINC, code, display)).setText(display));
        obs.setSubject(new Reference(subject));
        obs.setEffective(new DateTimeType(Date.from(at)));
        return obs;
    }

    private static Observation quantity(String subject, Instant at, String code, String display, double value,
            String unit, String ucum) {
        Observation obs = vital(subject, at, code, display);
        obs.setValue(new Quantity().setValue(round1(value)).setUnit(unit).setSystem(UCUM).setCode(ucum));
        return obs;
    }

    private static Observation bloodPressure(String subject, Instant at, double systolic, double diastolic) {
        Observation obs = vital(subject, at, "85354-9", "Blood pressure panel with all children optional");
        obs.addComponent().setCode(new CodeableConcept().addCoding(new Coding(LOINC, "8480-6", "Systolic blood pressure")))
                .setValue(new Quantity().setValue(Math.round(systolic)).setUnit("mm[Hg]").setSystem(UCUM)
                        .setCode("mm[Hg]"));
        obs.addComponent().setCode(new CodeableConcept().addCoding(new Coding(LOINC, "8462-4", "Diastolic blood pressure")))
                .setValue(new Quantity().setValue(Math.round(diastolic)).setUnit("mm[Hg]").setSystem(UCUM)
                        .setCode("mm[Hg]"));
        return obs;
    }

    private static Observation consciousness(String subject, Instant at, boolean newConfusion) {
        Observation obs = vital(subject, at, "67775-7", "Level of responsiveness");
        obs.setValue(newConfusion
                ? new CodeableConcept().addCoding(new Coding("http://snomed.info/sct", "130987000", "Acute confusion"))
                : new CodeableConcept().addCoding(new Coding("http://snomed.info/sct", "248234008", "Mentally alert")));
        return obs;
    }

    private static BigDecimal round1(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP);
    }
}
