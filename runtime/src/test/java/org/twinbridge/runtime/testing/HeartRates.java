package org.twinbridge.runtime.testing;

import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/** Heart-rate Observations for the node tests, about the tests' usual patient {@code Patient/p1}. */
public final class HeartRates {

    private HeartRates() {
    }

    /** A final heart rate (LOINC 8867-4) of Patient/p1 with this id and value. */
    public static Observation of(String id, int value) {
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        o.setSubject(new Reference("Patient/p1"));
        o.setValue(new Quantity().setValue(value));
        return o;
    }
}
