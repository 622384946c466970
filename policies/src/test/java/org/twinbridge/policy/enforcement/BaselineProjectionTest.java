package org.twinbridge.policy.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class BaselineProjectionTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String CANARY = "CANARY-Jane-Doe-555";
    private final BaselineProjection projection = new BaselineProjection(FHIR);

    @Test
    void project_observation_keepsClinicalValueAndDropsIdentifyingText() {
        Observation source = new Observation();
        source.setId("obs-1");
        source.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        source.setValue(new Quantity().setValue(88).setUnit("/min"));
        source.setSubject(new Reference("Patient/123").setDisplay(CANARY));
        source.addIdentifier().setValue(CANARY);
        source.addNote(new Annotation().setText(CANARY));
        source.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString("<div>" + CANARY + "</div>");
        source.addExtension(new Extension("http://example.org/x", new StringType(CANARY)));
        source.getValueQuantity().addExtension(new Extension("http://example.org/y", new StringType(CANARY)));

        Observation view = (Observation) projection.project(source, "view-1", ref -> "Patient/PSEUDO");

        String json = FHIR.newJsonParser().encodeResourceToString(view);
        assertThat(json).doesNotContain(CANARY).doesNotContain("123");
        assertThat(view.getSubject().getReference()).isEqualTo("Patient/PSEUDO");
        assertThat(view.getValueQuantity().getValue().intValue()).isEqualTo(88);
        assertThat(view.getCode().getCodingFirstRep().getCode()).isEqualTo("8867-4");
        assertThat(view.getIdPart()).isEqualTo("view-1");
        assertThat(source.getIdentifierFirstRep().getValue()).as("source untouched").isEqualTo(CANARY);
    }

    @Test
    void project_patient_keepsOnlyGenderBirthYearAndDeceased() {
        Patient source = new Patient();
        source.addName().setFamily(CANARY);
        source.addIdentifier().setValue(CANARY);
        source.addAddress().setCity(CANARY).setPostalCode("02139");
        source.setGender(Enumerations.AdministrativeGender.FEMALE);
        source.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1961-07-14"));

        Patient view = (Patient) projection.project(source, "PSEUDO", ref -> ref);

        String json = FHIR.newJsonParser().encodeResourceToString(view);
        assertThat(json).doesNotContain(CANARY).doesNotContain("02139").doesNotContain("07-14");
        assertThat(view.getBirthDateElement().getValueAsString()).isEqualTo("1961");
        assertThat(view.getGender()).isEqualTo(Enumerations.AdministrativeGender.FEMALE);
    }
}
