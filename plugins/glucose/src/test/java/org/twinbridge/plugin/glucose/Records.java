package org.twinbridge.plugin.glucose;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.sdk.model.AuthorisedRecord;

/** FHIR resources and authorised records for the glucose twin's tests. */
final class Records {

    static final String SUBJECT = "pseudo-g1";

    private Records() {
    }

    static Observation observation(String loinc, String value, String ucum) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, null)));
        observation.setValue(new Quantity().setValue(new BigDecimal(value)).setSystem("http://unitsofmeasure.org")
                .setCode(ucum).setUnit(ucum));
        return observation;
    }

    /** A CGM sensor reading as the HL7 CGM implementation guide writes it (interstitial glucose, mg/dL). */
    static Observation cgm(int mgPerDl) {
        return observation("99504-3", Integer.toString(mgPerDl), "mg/dL");
    }

    /** A device glucose reading coded as blood glucose, with a device reference. */
    static Observation deviceGlucose(String value, String ucum) {
        Observation observation = observation("2339-0", value, ucum);
        observation.setDevice(new Reference("Device/pseudo-d1"));
        return observation;
    }

    static MedicationAdministration insulin(String medication, String units) {
        MedicationAdministration administration = new MedicationAdministration();
        administration.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        administration.setMedication(new CodeableConcept().setText(medication));
        administration.getDosage().setDose((org.hl7.fhir.r4.model.SimpleQuantity) new org.hl7.fhir.r4.model.SimpleQuantity()
                .setValue(new BigDecimal(units)).setSystem("http://unitsofmeasure.org").setCode("U").setUnit("U"));
        return administration;
    }

    static AuthorisedRecord record(Resource resource, Instant at) {
        return new AuthorisedRecord(SUBJECT, resource, "laboratory", Optional.ofNullable(at), "receipt-1",
                "sha256:test");
    }
}
