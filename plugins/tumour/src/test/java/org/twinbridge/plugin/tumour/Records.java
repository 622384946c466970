package org.twinbridge.plugin.tumour;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.twinbridge.sdk.model.AuthorisedRecord;

/** FHIR resources and authorised records for the tumour twin's tests. */
final class Records {

    static final String SUBJECT = "pseudo-t1";

    private Records() {
    }

    /** A "Size Tumor" (21889-1) observation. */
    static Observation size(String value, String ucum) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "21889-1", "Size Tumor")));
        observation.setValue(new Quantity().setValue(new BigDecimal(value)).setSystem("http://unitsofmeasure.org")
                .setCode(ucum).setUnit(ucum));
        return observation;
    }

    /** A lesion's size with a SNOMED CT body site. */
    static Observation lesion(String value, String snomedSite) {
        Observation observation = size(value, "mm");
        observation.setBodySite(new CodeableConcept(new Coding("http://snomed.info/sct", snomedSite, null)));
        return observation;
    }

    static MedicationAdministration dose(String medicationText, String rxnorm, String value, String unit) {
        MedicationAdministration administration = new MedicationAdministration();
        administration.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        CodeableConcept medication = new CodeableConcept().setText(medicationText);
        if (rxnorm != null) {
            medication.addCoding(new Coding(TumourInputMapper.RXNORM, rxnorm, null));
        }
        administration.setMedication(medication);
        administration.getDosage().setDose((SimpleQuantity) new SimpleQuantity().setValue(new BigDecimal(value))
                .setSystem("http://unitsofmeasure.org").setCode(unit).setUnit(unit));
        return administration;
    }

    static AuthorisedRecord record(Resource resource, Instant at) {
        return new AuthorisedRecord(SUBJECT, resource, "laboratory", Optional.ofNullable(at), "receipt-1",
                "sha256:test");
    }
}
