package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.policy.model.Obligation.AllowElements;

class EnforcerPseudonymiseTest {

    private static final String NAME = "Dr Jane Doe";
    private final Enforcer enforcer = new Enforcer(FhirContext.forR4Cached());
    private final FixedContext context = FixedContext.standard();

    private Resource enforce(Resource source, Obligation... obligations) {
        return enforcer.enforce(source, List.of(obligations), context);
    }

    private static Patient patientWithIdentifier() {
        Patient patient = new Patient();
        patient.addIdentifier().setUse(Identifier.IdentifierUse.USUAL).setSystem("urn:oid:1.2.36.146.595.217.0.1")
                .setValue("12345").setType(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/v2-0203", "MR", null)).setText("MRN at St Mary's"))
                .setAssigner(new Reference("Organization/1").setDisplay("St Mary's"));
        return patient;
    }

    @Test
    void pseudonymise_identifier_replacesValueAndSystemAndDropsAssignerAndTypeText() {
        Patient view = (Patient) enforce(patientWithIdentifier(),
                new AllowElements("Patient", Set.of("identifier")), new Obligation.Pseudonymise());

        Identifier identifier = view.getIdentifierFirstRep();
        assertThat(identifier.getValue()).isEqualTo(context.pseudonym("urn:oid:1.2.36.146.595.217.0.1|12345"));
        assertThat(identifier.getSystem()).isEqualTo("urn:twinbridge:pseudonym");
        assertThat(identifier.getUse()).isEqualTo(Identifier.IdentifierUse.USUAL);
        assertThat(identifier.getType().getCodingFirstRep().getCode()).isEqualTo("MR");
        assertThat(identifier.getType().hasText()).isFalse();
        assertThat(identifier.hasAssigner()).isFalse();
        assertThat(EnforcerAllowListTest.json(view)).doesNotContain("12345").doesNotContain("St Mary");
    }

    @Test
    void pseudonymise_sameValueUnderAnotherSystem_getsAnotherPseudonym() {
        Patient other = patientWithIdentifier();
        other.getIdentifierFirstRep().setSystem("urn:oid:9.9.9");
        AllowElements allow = new AllowElements("Patient", Set.of("identifier"));

        String first = ((Patient) enforce(patientWithIdentifier(), allow, new Obligation.Pseudonymise()))
                .getIdentifierFirstRep().getValue();
        String again = ((Patient) enforce(patientWithIdentifier(), allow, new Obligation.Pseudonymise()))
                .getIdentifierFirstRep().getValue();
        String elsewhere = ((Patient) enforce(other, allow, new Obligation.Pseudonymise()))
                .getIdentifierFirstRep().getValue();

        assertThat(first).isEqualTo(again).isNotEqualTo(elsewhere);
    }

    @ParameterizedTest
    @CsvSource({
            "Patient/123, Patient",
            "Patient/123/_history/4, Patient",
            "http://ehr.example.org/fhir/Patient/123, Patient",
            "urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a, Unknown",
    })
    void pseudonymise_literalReference_isMappedWhole(String literal, String type) {
        Observation source = new Observation().setSubject(new Reference(literal).setDisplay(NAME));

        Observation view = (Observation) enforce(source, new AllowElements("Observation", Set.of("subject")),
                new Obligation.Pseudonymise());

        assertThat(view.getSubject().getReference()).isEqualTo(context.references().map(literal))
                .startsWith(type + "/ps-");
        assertThat(view.getSubject().hasDisplay()).isFalse();
    }

    @Test
    void pseudonymise_containedAndLogicalReferences_areRemoved() {
        Observation source = new Observation();
        source.addPerformer(new Reference("#p1").setDisplay(NAME));
        source.addPerformer(new Reference().setIdentifier(new Identifier().setSystem("urn:npi").setValue("999"))
                .setType("Practitioner"));

        Observation view = (Observation) enforce(source, new AllowElements("Observation", Set.of("performer")),
                new Obligation.Pseudonymise());

        assertThat(view.getPerformer()).allSatisfy(reference -> {
            assertThat(reference.hasReference()).isFalse();
            assertThat(reference.hasIdentifier()).isFalse();
            assertThat(reference.hasDisplay()).isFalse();
        });
        assertThat(EnforcerAllowListTest.json(view)).doesNotContain("999").doesNotContain("p1").doesNotContain(NAME);
    }

    @Test
    void withoutPseudonymise_referencesAndIdentifiersStay_butDisplaysAndContainedReferencesGo() {
        Observation source = new Observation();
        source.setSubject(new Reference("Patient/123").setDisplay(NAME));
        source.addPerformer(new Reference("#p1"));
        source.addIdentifier().setSystem("urn:oid:1.2.3").setValue("lab-77");

        Observation view = (Observation) enforce(source,
                new AllowElements("Observation", Set.of("subject", "performer", "identifier")));

        assertThat(view.getSubject().getReference()).isEqualTo("Patient/123");
        assertThat(view.getSubject().hasDisplay()).isFalse();
        assertThat(view.getPerformer()).allSatisfy(reference -> assertThat(reference.hasReference()).isFalse());
        assertThat(view.getIdentifierFirstRep().getValue()).isEqualTo("lab-77");
    }

    @Test
    void pseudonymise_redactedReference_staysRedacted() {
        Observation source = new Observation().setSubject(new Reference("Patient/123"));

        Observation view = (Observation) enforce(source, new AllowElements("Observation", Set.of("subject")),
                new Obligation.Redact(Set.of("subject")), new Obligation.Pseudonymise());

        assertThat(view.getSubject().getReference()).isEqualTo(Obligation.Redact.MARKER);
    }

    @Test
    void pseudonymise_identifierWithoutValue_keepsItsIssuerSystem() {
        Patient source = patientWithIdentifier();
        source.getIdentifierFirstRep().setValue(null);

        Patient view = (Patient) enforce(source, new AllowElements("Patient", Set.of("identifier")),
                new Obligation.Pseudonymise());

        assertThat(view.getIdentifierFirstRep().getSystem()).isEqualTo("urn:oid:1.2.36.146.595.217.0.1");
        assertThat(view.getIdentifierFirstRep().hasValue()).isFalse();
    }
}
