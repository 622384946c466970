package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.policy.model.Obligation.AllowElements;

class EnforcerAllowListTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String CANARY = "CANARY-Jane-Doe-555";
    static final Set<String> VITALS = Set.of("code", "value[x]", "subject", "effective[x]", "component.code");

    private final Enforcer enforcer = new Enforcer(FHIR);

    /** An Observation with something identifying in every element a vitals allow-list should not pass. */
    static Observation richObservation() {
        Observation source = new Observation();
        source.setId("obs-1");
        source.getMeta().setVersionId("7").addTag("http://example.org/tags", CANARY + "-tag", null)
                .addProfile("http://example.org/" + CANARY)
                .addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", "restricted");
        source.setImplicitRules("http://example.org/" + CANARY + "-rules");
        source.setLanguage("en-GB");
        source.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString("<div>" + CANARY + "</div>");
        source.addContained(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily(CANARY)))
                .getContained().get(0).setId("p1");
        source.addExtension(new Extension("http://example.org/root", new StringType(CANARY + "-root-ext")));
        source.addModifierExtension(new Extension("http://example.org/mod", new StringType(CANARY + "-mod")));
        source.addIdentifier().setSystem("urn:oid:1.2.3").setValue(CANARY + "-id");
        source.setStatus(Observation.ObservationStatus.FINAL);
        Coding loinc = new Coding("http://loinc.org", "85354-9", "Blood pressure panel");
        loinc.addExtension(new Extension("http://example.org/coding-ext", new StringType(CANARY + "-coding-ext")));
        source.setCode(new CodeableConcept(loinc).setText("BP"));
        source.setSubject(new Reference("Patient/123").setDisplay(CANARY + "-display"));
        source.setEffective(new DateTimeType("2024-03-01T08:30:00+01:00"));
        source.addPerformer(new Reference("Practitioner/9").setDisplay(CANARY + "-performer"));
        source.addNote(new Annotation().setText(CANARY + "-note"));
        source.addInterpretation().setText(CANARY + "-interpretation");
        Quantity value = new Quantity().setValue(120).setUnit("mm[Hg]");
        value.addExtension(new Extension("http://example.org/value-ext", new StringType(CANARY + "-value-ext")));
        source.setValue(value);
        source.addComponent(component("8480-6", 120, CANARY + "-component-ext-1"));
        source.addComponent(component("8462-4", 80, CANARY + "-component-ext-2"));
        return source;
    }

    private static ObservationComponentComponent component(String code, int value, String extension) {
        ObservationComponentComponent component = new ObservationComponentComponent();
        component.setCode(new CodeableConcept(new Coding("http://loinc.org", code, null)));
        component.setValue(new Quantity().setValue(value).setUnit("mm[Hg]"));
        component.addExtension(new Extension("http://example.org/component", new StringType(extension)));
        component.addInterpretation().setText(CANARY + "-component-interpretation");
        return component;
    }

    Resource enforce(Resource source, Obligation... obligations) {
        return enforcer.enforce(source, List.of(obligations), FixedContext.standard());
    }

    static String json(Resource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    @Test
    void enforce_allowList_dropsEverythingNotListed() {
        Observation view = (Observation) enforce(richObservation(), new AllowElements("Observation", VITALS));

        assertThat(json(view)).doesNotContain(CANARY).doesNotContain("obs-1").doesNotContain("final");
        assertThat(view.getIdPart()).isEqualTo("view-1");
        assertThat(view.getCode().getCodingFirstRep().getCode()).isEqualTo("85354-9");
        assertThat(view.getCode().hasText()).as("free text below an allowed element").isFalse();
        assertThat(view.getCode().getCodingFirstRep().getExtension()).as("extensions at depth").isEmpty();
        assertThat(view.getValueQuantity().getValue().intValue()).isEqualTo(120);
        assertThat(view.getValueQuantity().getExtension()).isEmpty();
        assertThat(view.getSubject().getReference()).isEqualTo("Patient/123");
        assertThat(view.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-01T08:30:00+01:00");
        assertThat(view.getComponent()).hasSize(2).allSatisfy(component -> {
            assertThat(component.hasCode()).isTrue();
            assertThat(component.hasValue()).isFalse();
            assertThat(component.getExtension()).isEmpty();
            assertThat(component.getInterpretation()).isEmpty();
        });
        assertThat(view.getComponent().get(1).getCode().getCodingFirstRep().getCode()).isEqualTo("8462-4");
        assertThat(view.getIdentifier()).isEmpty();
        assertThat(view.getNote()).isEmpty();
        assertThat(view.getPerformer()).isEmpty();
        assertThat(view.getContained()).isEmpty();
        assertThat(view.hasText()).isFalse();
        assertThat(view.hasImplicitRules()).isFalse();
        assertThat(view.hasLanguage()).isFalse();
        assertThat(view.getExtension()).isEmpty();
        assertThat(view.getModifierExtension()).isEmpty();
    }

    @Test
    void enforce_meta_keepsOnlySecurityLabels() {
        Observation view = (Observation) enforce(richObservation(), new AllowElements("Observation", Set.of("code")));

        assertThat(view.getMeta().getSecurity()).extracting(Coding::getCode).containsExactly("R");
        assertThat(view.getMeta().getTag()).isEmpty();
        assertThat(view.getMeta().getProfile()).isEmpty();
        assertThat(view.getMeta().hasVersionId()).isFalse();
    }

    @Test
    void enforce_alwaysDroppedElements_areDroppedEvenWhenListed() {
        Set<String> paths = Set.of("code", "text", "contained", "meta", "implicitRules", "language");

        String json = json(enforce(richObservation(), new AllowElements("Observation", paths)));

        assertThat(json).doesNotContain(CANARY).doesNotContain("en-GB").doesNotContain("restricted")
                .contains("\"code\":\"R\"");
    }

    static Stream<Type> choiceValues() {
        return Stream.of(new Quantity().setValue(5.4).setUnit("mmol/L").setSystem("http://unitsofmeasure.org")
                        .setCode("mmol/L"), new StringType("positive"),
                new CodeableConcept(new Coding("http://snomed.info/sct", "10828004", null)), new BooleanType(true),
                new IntegerType(3), new Range().setLow(new Quantity().setValue(1)),
                new Period().setStartElement(new DateTimeType("2024-01-01")));
    }

    @ParameterizedTest
    @MethodSource("choiceValues")
    void enforce_choiceElement_keepsTheValueWhateverItsType(Type value) {
        Observation source = new Observation().setValue(value.copy());

        Observation view = (Observation) enforce(source, new AllowElements("Observation", Set.of("value[x]")));

        assertThat(view.getValue().fhirType()).isEqualTo(value.fhirType());
        assertThat(view.getValue().equalsDeep(value)).isTrue();
    }

    @Test
    void enforce_prefixOfAllowedPath_keepsOnlyTheAllowedDescendantsOfEachRepetition() {
        Observation source = richObservation();
        source.addComponent(new ObservationComponentComponent().setValue(new StringType("no code here")));

        Observation view = (Observation) enforce(source,
                new AllowElements("Observation", Set.of("component.value[x]")));

        assertThat(view.getComponent()).hasSize(3).allSatisfy(component -> {
            assertThat(component.hasValue()).isTrue();
            assertThat(component.hasCode()).isFalse();
        });
        assertThat(view.getComponent().get(2).getValueStringType().getValue()).isEqualTo("no code here");
    }

    @Test
    void enforce_extensionListedOnRoot_keepsRootExtensionsButNotDeeperOnes() {
        Observation view = (Observation) enforce(richObservation(),
                new AllowElements("Observation", Set.of("extension", "extension.value[x]", "code", "value[x]")));

        assertThat(view.getExtension()).singleElement()
                .satisfies(ext -> assertThat(ext.getValue().primitiveValue()).isEqualTo(CANARY + "-root-ext"));
        assertThat(view.getModifierExtension()).isEmpty();
        assertThat(view.getValueQuantity().getExtension()).isEmpty();
        assertThat(view.getCode().getCodingFirstRep().getExtension()).isEmpty();
    }

    @Test
    void enforce_primitiveExtension_survivesOnlyWhenItsPathIsListed() {
        Patient source = new Patient();
        source.setBirthDateElement(new DateType("1961-07-14"));
        source.getBirthDateElement().addExtension(new Extension(
                "http://hl7.org/fhir/StructureDefinition/patient-birthTime", new DateTimeType("1961-07-14T05:20:00Z")));

        Patient plain = (Patient) enforce(source, new AllowElements("Patient", Set.of("birthDate")));
        Patient withTime = (Patient) enforce(source,
                new AllowElements("Patient", Set.of("birthDate", "birthDate.extension")));
        Patient onlyTime = (Patient) enforce(source, new AllowElements("Patient", Set.of("birthDate.extension")));

        assertThat(plain.getBirthDateElement().getValueAsString()).isEqualTo("1961-07-14");
        assertThat(plain.getBirthDateElement().getExtension()).isEmpty();
        assertThat(withTime.getBirthDateElement().getExtension()).hasSize(1);
        assertThat(onlyTime.getBirthDateElement().hasValue()).isFalse();
        assertThat(onlyTime.getBirthDateElement().getExtension()).hasSize(1);
    }

    @Test
    void enforce_neverModifiesTheSource() {
        Observation source = richObservation();
        Observation before = source.copy();
        String jsonBefore = json(source);

        enforce(source, new AllowElements("Observation", VITALS), new Obligation.Redact(Set.of("code")),
                new Obligation.Generalise(Map.of("effective[x]", new Obligation.Generalise.ToYear())),
                new Obligation.ShiftDates(30), new Obligation.Pseudonymise());

        assertThat(json(source)).isEqualTo(jsonBefore);
        assertThat(source.equalsDeep(before)).isTrue();
    }

    static Stream<Arguments> missingAllowLists() {
        AllowElements patient = new AllowElements("Patient", Set.of("gender"));
        AllowElements observation = new AllowElements("Observation", Set.of("code"));
        return Stream.of(
                Arguments.of(List.of(), "found 0"),
                Arguments.of(List.of(patient, new Obligation.Pseudonymise()), "allow-lists present for [Patient]"),
                Arguments.of(List.of(observation, new AllowElements("Observation", Set.of("status"))), "found 2"));
    }

    @ParameterizedTest
    @MethodSource("missingAllowLists")
    void enforce_withoutExactlyOneAllowListForTheType_fails(List<Obligation> obligations, String detail) {
        assertThatThrownBy(() -> enforcer.enforce(richObservation(), obligations, FixedContext.standard()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TB-ENFORCE-001")
                .hasMessageContaining("Observation")
                .hasMessageContaining(detail)
                .hasMessageNotContaining(CANARY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"valeu[x]", "component.colour", "valueQuantity", "code..text", "", "Code",
            "subject.reference.nope"})
    void enforce_unknownOrMalformedAllowPath_failsNamingThePath(String path) {
        AllowElements allow = new AllowElements("Observation", Set.of("code", path));

        assertThatThrownBy(() -> enforce(richObservation(), allow))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TB-ENFORCE-002")
                .hasMessageContaining("'" + path + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"value[x].extension", "effective[x].start", "component.value[x].value",
            "code.coding.extension.value[x]", "referenceRange.low.unit", "subject.identifier.system"})
    void enforce_deepPathsThroughChoicesAndBackbones_areAccepted(String path) {
        assertThat(enforce(richObservation(), new AllowElements("Observation", Set.of(path)))).isNotNull();
    }

    @Test
    void enforce_obligationOrder_doesNotDependOnListOrder() {
        List<Obligation> obligations = new ArrayList<>(List.of(new AllowElements("Observation", VITALS),
                new Obligation.Redact(Set.of("code.text")),
                new Obligation.Generalise(Map.of("effective[x]", new Obligation.Generalise.ToYear())),
                new Obligation.ShiftDates(30), new Obligation.Pseudonymise()));
        Resource expected = enforcer.enforce(richObservation(), obligations, FixedContext.standard());

        Random random = new Random(42);
        for (int i = 0; i < 10; i++) {
            Collections.shuffle(obligations, random);
            Resource actual = enforcer.enforce(richObservation(), obligations, FixedContext.standard());
            assertThat(json(actual)).isEqualTo(json(expected));
        }
        assertThat(((Observation) expected).getEffectiveDateTimeType().getValueAsString())
                .as("generalised to a year before the shift, so not shifted").isEqualTo("2024");
    }

    @Test
    void describe_listsObligationsInApplicationOrder() {
        List<String> described = Enforcer.describe(List.of(new Obligation.Pseudonymise(),
                new Obligation.ShiftDates(30), new AllowElements("Observation", Set.of("value[x]", "code")),
                new Obligation.Redact(Set.of("note"))));

        assertThat(described).containsExactly("allow Observation[code, value[x]]", "redact [note]",
                "shift dates ±30d", "pseudonymise identifiers and references");
    }
}
