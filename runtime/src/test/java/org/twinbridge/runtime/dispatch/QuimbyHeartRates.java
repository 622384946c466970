package org.twinbridge.runtime.dispatch;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.twinbridge.sdk.model.CanonicalRecord;

/** The dispatch tests' journal content: one patient and her heart rates, in journal order. */
final class QuimbyHeartRates {

    private QuimbyHeartRates() {
    }

    /**
     * Patient/p1 (Quimby), then {@code observations} heart rates Observation/o1..on about her, valued 61, 62, ...
     * so a test can tell from the value which record a plugin got.
     */
    static List<CanonicalRecord> records(int observations) {
        List<CanonicalRecord> records = new ArrayList<>();
        Patient patient = new Patient();
        patient.setId("p1");
        patient.addName().setFamily("Quimby");
        records.add(CanonicalRecord.of("ehr", "Patient/p1", patient));
        for (int i = 1; i <= observations; i++) {
            Observation o = new Observation();
            o.setId("o" + i);
            o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
            o.setSubject(new Reference("Patient/p1"));
            o.setValue(new Quantity().setValue(60 + i));
            records.add(CanonicalRecord.of("ehr", "Observation/o" + i, o));
        }
        return records;
    }
}
