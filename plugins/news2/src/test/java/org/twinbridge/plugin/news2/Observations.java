package org.twinbridge.plugin.news2;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;

/** FHIR Observations for tests, shaped like the FHIR R4 vital-signs profiles. */
final class Observations {

    static final String UCUM = "http://unitsofmeasure.org";

    private Observations() {
    }

    static CodeableConcept loinc(String code) {
        return new CodeableConcept(new Coding(LoincVitalSignMapper.LOINC, code, null));
    }

    static Quantity quantity(String value, String ucum) {
        return new Quantity().setValue(new BigDecimal(value)).setSystem(UCUM).setCode(ucum).setUnit(ucum);
    }

    /** A final observation with one LOINC code and a UCUM quantity. */
    static Observation quantity(String loinc, String value, String ucum) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(loinc(loinc));
        observation.setValue(quantity(value, ucum));
        return observation;
    }

    static Observation respirationRate(String value) {
        return quantity("9279-1", value, "/min");
    }

    static Observation spo2(String value) {
        return quantity("59408-5", value, "%");
    }

    static Observation oxygenFlow(String litresPerMinute) {
        return quantity("3151-8", litresPerMinute, "L/min");
    }

    static Observation pulse(String value) {
        return quantity("8867-4", value, "/min");
    }

    static Observation temperature(String value) {
        return quantity("8310-5", value, "Cel");
    }

    /** A blood-pressure panel (85354-9) with systolic (8480-6) and diastolic (8462-4) components. */
    static Observation bloodPressure(String systolic, String diastolic) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(loinc("85354-9"));
        observation.addComponent().setCode(loinc("8480-6")).setValue(quantity(systolic, "mm[Hg]"));
        observation.addComponent().setCode(loinc("8462-4")).setValue(quantity(diastolic, "mm[Hg]"));
        return observation;
    }

    /** A level-of-responsiveness observation (67775-7) coded in SNOMED CT. */
    static Observation consciousness(String snomed) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(loinc("67775-7"));
        observation.setValue(new CodeableConcept(new Coding(LoincVitalSignMapper.SNOMED, snomed, null)));
        return observation;
    }
}
