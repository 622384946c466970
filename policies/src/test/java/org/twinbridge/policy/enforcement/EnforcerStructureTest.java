package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.policy.model.Obligation.AllowElements;

/**
 * An allow-list keeps structure, not free text, element ids, reference types or meta; coded-only removes the
 * free text a rule names; dates and ages are generalised by type wherever they are. Each case is one of the
 * leaks found by trying {@code policy explain} as an attacker would.
 */
class EnforcerStructureTest {

    private static final String NAME = "John Smith MRN 4711";
    private static final String UCUM = "http://unitsofmeasure.org";
    private final Enforcer enforcer = new Enforcer(FhirContext.forR4Cached());

    private Resource enforce(Resource source, Obligation... obligations) {
        return enforcer.enforce(source, List.of(obligations), FixedContext.standard());
    }

    private static String json(Resource resource) {
        return EnforcerAllowListTest.json(resource);
    }

    private static Observation observation() {
        Observation o = new Observation();
        o.setId("o-1");
        CodeableConcept code = new CodeableConcept(new Coding("http://loinc.org", "8867-4", NAME)).setText(NAME);
        code.setId(NAME);
        code.getCodingFirstRep().setId(NAME);
        o.setCode(code);
        Reference subject = new Reference("Patient/1").setType(NAME);
        subject.setId(NAME);
        o.setSubject(subject);
        Quantity value = new Quantity().setValue(72).setSystem(UCUM).setCode("/min").setUnit(NAME);
        value.setId(NAME);
        o.setValue(value);
        o.addInterpretation().setText(NAME).addCoding(new Coding("http://example.org/i", "H", NAME));
        o.addReferenceRange().setText(NAME).setLow(new Quantity(60));
        o.addComponent().setValue(new StringType(NAME)).getCode().addCoding(new Coding("http://loinc.org", "1-8",
                NAME));
        o.getMeta().addSecurity(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HIV", NAME));
        o.getMeta().addSecurity(new Coding("http://example.org/other", NAME, NAME));
        o.getMeta().addTag(new Coding("http://example.org/tag", "t1", NAME));
        return o;
    }

    private static AllowElements allow(String... paths) {
        return new AllowElements("Observation", Set.of(paths));
    }

    @Test
    void allowedElements_keepTheirStructure_butNoFreeTextIdsReferenceTypesOrMetaText() {
        Observation view = (Observation) enforce(observation(), allow("code", "subject", "value[x]",
                "interpretation", "referenceRange", "component"));

        assertThat(json(view)).doesNotContain("Smith");
        assertThat(view.getCode().getCodingFirstRep().getCode()).isEqualTo("8867-4");
        assertThat(view.getSubject().getReference()).isEqualTo("Patient/1");
        assertThat(view.getValueQuantity().getValue().intValue()).isEqualTo(72);
        assertThat(view.getValueQuantity().getUnit()).as("the UCUM code, not the sender's text").isEqualTo("/min");
        assertThat(view.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("H");
        assertThat(view.getReferenceRangeFirstRep().getLow().getValue().intValue()).isEqualTo(60);
        assertThat(view.getComponentFirstRep().getCode().getCodingFirstRep().getCode()).isEqualTo("1-8");
        assertThat(view.getMeta().getSecurity()).singleElement().satisfies(label -> {
            assertThat(label.getCode()).isEqualTo("HIV");
            assertThat(label.hasDisplay()).isFalse();
        });
        assertThat(view.getMeta().getTag()).isEmpty();
    }

    @Test
    void freeText_passesOnlyWhereAPathNamesIt() {
        Observation view = (Observation) enforce(observation(), allow("code", "code.text", "component.value[x]",
                "meta.tag", "subject.type"));

        assertThat(view.getCode().getText()).isEqualTo(NAME);
        assertThat(view.getCode().getCodingFirstRep().hasDisplay()).isFalse();
        assertThat(view.getComponentFirstRep().getValueStringType().getValue()).isEqualTo(NAME);
        assertThat(view.getMeta().getTag()).singleElement().satisfies(tag -> {
            assertThat(tag.getCode()).isEqualTo("t1");
            assertThat(tag.hasDisplay()).isFalse();
        });
        assertThat(view.getSubject().getType()).isEqualTo(NAME);
    }

    @Test
    void codedOnly_removesEvenNamedFreeText_andKeepsCodes() {
        Observation view = (Observation) enforce(observation(),
                allow("code", "code.text", "component.value[x]", "component.code", "value[x]", "value[x].unit"),
                new Obligation.CodedOnly(Set.of("code", "component"), false));

        assertThat(view.getCode().hasText()).isFalse();
        assertThat(view.getCode().getCodingFirstRep().getCode()).isEqualTo("8867-4");
        assertThat(view.getComponentFirstRep().hasValue()).isFalse();
        assertThat(view.getValueQuantity().getUnit()).as("value[x] is not coded-only").isEqualTo(NAME);
    }

    @Test
    void codedOnlyEverywhere_leavesNoFreeTextAnywhere() {
        Observation view = (Observation) enforce(observation(),
                allow("code", "code.text", "component.value[x]", "value[x]", "value[x].unit"),
                new Obligation.CodedOnly(Set.of(), true));

        assertThat(json(view)).doesNotContain("Smith");
        assertThat(view.getValueQuantity().getUnit()).isEqualTo("/min");
    }

    @Test
    void datesToYear_generalisesEveryDateWhateverItsPath() {
        Observation source = observation();
        source.setValue(new DateTimeType("1931-03-04T05:06:07Z"));
        source.setIssuedElement(new InstantType("2024-01-02T03:04:05Z"));
        source.getComponentFirstRep().setValue(new Period().setStartElement(new DateTimeType("2024-01-02"))
                .setEndElement(new DateTimeType("2024-02-03T10:00:00+01:00")));
        source.setEffective(new DateTimeType("2024-05-06"));

        Observation view = (Observation) enforce(source, allow("value[x]", "issued", "component.value[x]",
                "effective[x]"), new Obligation.DatesToYear());

        assertThat(view.getValueDateTimeType().getValueAsString()).isEqualTo("1931");
        assertThat(view.hasIssued()).as("an instant cannot be a year").isFalse();
        assertThat(view.getComponentFirstRep().getValuePeriod().getStartElement().getValueAsString()).isEqualTo("2024");
        assertThat(view.getComponentFirstRep().getValuePeriod().getEndElement().getValueAsString()).isEqualTo("2024");
        assertThat(view.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024");
    }

    @Test
    void datesToYear_onEncounterPeriod() {
        Encounter source = new Encounter();
        source.setPeriod(new Period().setStartElement(new DateTimeType("2024-01-02T03:04:05Z")));

        Encounter view = (Encounter) enforce(source, new AllowElements("Encounter", Set.of("period")),
                new Obligation.DatesToYear());

        assertThat(view.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024");
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "97, a, , 90",
            "89, a, , 89",
            "1200, mo, , 90",
            "5000, wk, , 90",
            "36000, d, , 90",
            "97, , years, 90",
            "97, , , 97",
            "97, mg, mg, 97",
    })
    void capAges_capsAgeLikeQuantitiesWhereverTheyAre(String value, String code, String unit, String expected) {
        Observation source = new Observation();
        source.setValue(new Quantity().setValue(new BigDecimal(value)).setCode(code).setUnit(unit)
                .setSystem(code == null ? null : UCUM));

        Observation view = (Observation) enforce(source, allow("value[x]"), new Obligation.CapAges(89));

        assertThat(view.getValueQuantity().getValue()).isEqualByComparingTo(expected);
    }

    @Test
    void capAges_readsAgeCodedObservationsAndAgeTypes() {
        Observation ageCoded = new Observation();
        ageCoded.getCode().addCoding(new Coding("http://loinc.org/", "30525-0", null));
        ageCoded.setValue(new IntegerType(97));
        ageCoded.addComponent().setValue(new Quantity(101)).getCode()
                .addCoding(new Coding("urn:oid:2.16.840.1.113883.6.1", "30525-0", null));
        Observation birth = new Observation();
        birth.getCode().addCoding(new Coding("http://loinc.org", "21112-8", null));
        birth.setValue(new DateTimeType("1920-05-06"));
        Condition onset = new Condition();
        onset.setOnset(new Age().setValue(97));

        Observation ageView = (Observation) enforce(ageCoded, allow("code", "value[x]", "component"),
                new Obligation.CapAges(89));
        Observation birthView = (Observation) enforce(birth, allow("code", "value[x]"), new Obligation.CapAges(89));
        Condition onsetView = (Condition) enforce(onset, new AllowElements("Condition", Set.of("onset[x]")),
                new Obligation.CapAges(89));

        assertThat(ageView.getValueIntegerType().getValue()).isEqualTo(90);
        assertThat(ageView.getComponentFirstRep().getValueQuantity().getValue()).isEqualByComparingTo("90");
        assertThat(birthView.getValueDateTimeType().getValueAsString())
                .isEqualTo(String.valueOf(FixedContext.TODAY.getYear() - 90));
        assertThat(onsetView.getOnsetAge().getValue()).isEqualByComparingTo("90");
    }
}
