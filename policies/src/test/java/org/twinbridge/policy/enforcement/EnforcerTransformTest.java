package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.FamilyMemberHistory;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.policy.model.Obligation.AllowElements;
import org.twinbridge.policy.model.Obligation.Generalise;

/** Redaction, generalisation and date shift, each applied after the allow-list. */
class EnforcerTransformTest {

    private static final String MARKER = Obligation.Redact.MARKER;
    private final Enforcer enforcer = new Enforcer(FhirContext.forR4Cached());

    private Resource enforce(Resource source, Obligation... obligations) {
        return enforcer.enforce(source, List.of(obligations), FixedContext.standard());
    }

    private static Patient patient() {
        Patient patient = new Patient();
        patient.addName(new HumanName().setFamily("Doe").addGiven("Jane").setText("Jane Doe")
                .setUse(HumanName.NameUse.OFFICIAL));
        patient.addIdentifier().setSystem("urn:oid:1.2.3").setValue("MRN-1")
                .setPeriod(new Period().setStartElement(new DateTimeType("2001-01-01")));
        patient.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType("1961-07-14"));
        patient.addAddress(new Address().setCity("Cambridge").setPostalCode("02139"));
        return patient;
    }

    private static AllowElements allowPatient(String... paths) {
        return new AllowElements("Patient", Set.of(paths));
    }

    @Test
    void redact_replacesTextAtThePathAndBelow_butNotCodes() {
        Patient view = (Patient) enforce(patient(), allowPatient("name", "name.family", "name.given", "name.text",
                "gender"), new Obligation.Redact(Set.of("name", "gender", "telecom")));

        HumanName name = view.getNameFirstRep();
        assertThat(name.getFamily()).isEqualTo(MARKER);
        assertThat(name.getGivenAsSingleString()).isEqualTo(MARKER);
        assertThat(name.getText()).isEqualTo(MARKER);
        assertThat(name.getUse()).as("a code").isEqualTo(HumanName.NameUse.OFFICIAL);
        assertThat(view.getGenderElement().getValueAsString()).as("a code").isEqualTo("female");
    }

    @Test
    void redact_identifier_replacesSystemAndValueButNotItsDates() {
        Patient view = (Patient) enforce(patient(), allowPatient("identifier"),
                new Obligation.Redact(Set.of("identifier")));

        assertThat(view.getIdentifierFirstRep().getValue()).isEqualTo(MARKER);
        assertThat(view.getIdentifierFirstRep().getSystem()).isEqualTo(MARKER);
        assertThat(view.getIdentifierFirstRep().getPeriod().getStartElement().getValueAsString())
                .isEqualTo("2001-01-01");
    }

    @Test
    void redact_pathNotAllowedOrAbsent_isIgnored() {
        Patient view = (Patient) enforce(patient(), allowPatient("gender"),
                new Obligation.Redact(Set.of("name.family", "contact.name", "noSuchElement")));

        assertThat(EnforcerAllowListTest.json(view)).doesNotContain(MARKER).doesNotContain("Doe");
    }

    @ParameterizedTest
    @CsvSource({
            "2013-05-02, 2013",
            "2013-05, 2013",
            "2013, 2013",
            "2013-05-02T16:16:00-07:00, 2013",
            "2013-12-31T23:30:00-10:00, 2013",
    })
    void generalise_toYear_keepsOnlyTheYear(String effective, String expected) {
        Observation source = new Observation().setEffective(new DateTimeType(effective));

        Observation view = (Observation) enforce(source, new AllowElements("Observation", Set.of("effective[x]")),
                new Generalise(Map.of("effective[x]", new Generalise.ToYear())));

        assertThat(view.getEffectiveDateTimeType().getValueAsString()).isEqualTo(expected);
    }

    @Test
    void generalise_toYear_onPeriodAndInstant_generalisesStartEndAndRemovesTheInstant() {
        Observation source = new Observation()
                .setEffective(new Period().setStartElement(new DateTimeType("2013-05-02"))
                        .setEndElement(new DateTimeType("2014-01-09T10:00:00Z")))
                .setIssuedElement(new InstantType("2014-01-10T10:00:00Z"));

        Observation view = (Observation) enforce(source,
                new AllowElements("Observation", Set.of("effective[x]", "issued", "status")),
                new Generalise(Map.of("effective[x]", new Generalise.ToYear(), "issued", new Generalise.ToYear())));

        assertThat(view.getEffectivePeriod().getStartElement().getValueAsString()).isEqualTo("2013");
        assertThat(view.getEffectivePeriod().getEndElement().getValueAsString()).isEqualTo("2014");
        assertThat(view.hasIssued()).as("an instant cannot hold a bare year").isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "02139, 3, 021",
            "12, 3, 12",
            "SW1A 1AA, 4, SW1A",
            "75008, 0, ''",
    })
    void generalise_prefix_keepsTheFirstCharacters(String postalCode, int keep, String expected) {
        Patient source = patient();
        source.getAddressFirstRep().setPostalCode(postalCode);

        Patient view = (Patient) enforce(source, allowPatient("address.postalCode", "address.city"),
                new Generalise(Map.of("address.postalCode", new Generalise.Prefix(keep))));

        assertThat(view.getAddressFirstRep().getPostalCode()).isEqualTo(expected.isEmpty() ? null : expected);
        assertThat(view.getAddressFirstRep().getCity()).isEqualTo("Cambridge");
    }

    /** Today is 2025-06-15: born 1935-06-15 is exactly 90, born a day later is still 89. */
    @ParameterizedTest
    @CsvSource({
            "1935-06-16, 1935-06-16",
            "1935-06-15, 1935",
            "1920-03-01, 1935",
            "1936, 1936",
            "1935-07, 1935-07",
            "1935-06, 1935",
            "1934, 1935",
            "2000-01-01, 2000-01-01",
    })
    void generalise_ageCap_capsBirthDatesAboveTheMaximumAge(String birthDate, String expected) {
        Patient source = patient().setBirthDateElement(new DateType(birthDate));

        Patient view = (Patient) enforce(source, allowPatient("birthDate"),
                new Generalise(Map.of("birthDate", new Generalise.AgeCap(89))));

        assertThat(view.getBirthDateElement().getValueAsString()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "89, a, a, 89",
            "90, a, a, 90",
            "95, a, a, 90",
            "95.5, , years, 90",
            "1200, mo, mo, 90",
            "1000, mo, mo, 1000",
            "5000, wk, wk, 90",
            "4000, wk, wk, 4000",
            "40000, d, d, 90",
            "95, , , 90",
    })
    void generalise_ageCap_capsAgeQuantitiesInYears(String age, String code, String unit, String expected) {
        FamilyMemberHistory source = new FamilyMemberHistory();
        source.setAge(new Age().setValue(new java.math.BigDecimal(age)).setCode(code).setUnit(unit)
                .setSystem("http://unitsofmeasure.org"));

        FamilyMemberHistory view = (FamilyMemberHistory) enforce(source,
                new AllowElements("FamilyMemberHistory", Set.of("age[x]")),
                new Generalise(Map.of("age[x]", new Generalise.AgeCap(89))));

        assertThat(view.getAgeAge().getValue()).isEqualByComparingTo(expected);
    }

    @Test
    void generalise_ageCapAndToYearOnOnePath_capsFromTheFullDate() {
        Patient source = patient().setBirthDateElement(new DateType("1935-12-31"));

        Patient view = (Patient) enforce(source, allowPatient("birthDate"),
                new Generalise(Map.of("birthDate", new Generalise.ToYear())),
                new Generalise(Map.of("birthDate", new Generalise.AgeCap(89))));

        assertThat(view.getBirthDateElement().getValueAsString()).isEqualTo("1935");
    }

    @ParameterizedTest
    @CsvSource({
            "2020, 2020",
            "2020-02, 2020-02",
            "2020-02-10, 2020-01-29",
            "2020-03-01T00:00:00Z, 2020-02-18T00:00:00Z",
            "2020-02-10T10:11:12.345+05:30, 2020-01-29T10:11:12.345+05:30",
            "2020-02-10T10:11:12.123456789-03:00, 2020-01-29T10:11:12.123456789-03:00",
    })
    void shiftDates_movesByDaysAndKeepsPrecisionTimeAndZone(String original, String expected) {
        assertThat(DateShifter.shifted(original, -12)).isEqualTo(expected);
    }

    @Test
    void shiftDates_shiftsEveryDateInTheRecord() {
        Patient view = (Patient) enforce(patient(), allowPatient("birthDate", "identifier"),
                new Obligation.ShiftDates(30));

        assertThat(view.getBirthDateElement().getValueAsString()).isEqualTo("1961-07-02");
        assertThat(view.getIdentifierFirstRep().getPeriod().getStartElement().getValueAsString())
                .isEqualTo("2000-12-20");
    }

    @Test
    void shiftDates_keepsIntervalsBetweenTwoObservationsOfOnePatient() {
        Observation first = new Observation().setSubject(new Reference("Patient/1"))
                .setEffective(new DateTimeType("2020-03-28T23:10:00+01:00"))
                .setIssuedElement(new InstantType("2020-03-29T01:00:00.250+01:00"));
        Observation second = new Observation().setSubject(new Reference("Patient/1"))
                .setEffective(new DateTimeType("2020-04-02T07:45:30+02:00"));
        AllowElements allow = new AllowElements("Observation", Set.of("subject", "effective[x]", "issued"));

        Observation firstView = (Observation) enforce(first, allow, new Obligation.ShiftDates(30));
        Observation secondView = (Observation) enforce(second, allow, new Obligation.ShiftDates(30));

        assertThat(between(firstView.getEffectiveDateTimeType(), secondView.getEffectiveDateTimeType()))
                .isEqualTo(between(first.getEffectiveDateTimeType(), second.getEffectiveDateTimeType()));
        assertThat(firstView.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2020-03-16T23:10:00+01:00");
        assertThat(firstView.getIssuedElement().getValueAsString()).isEqualTo("2020-03-17T01:00:00.250+01:00");
    }

    private static Duration between(DateTimeType from, DateTimeType to) {
        return Duration.between(OffsetDateTime.parse(from.getValueAsString()),
                OffsetDateTime.parse(to.getValueAsString()));
    }

    @Test
    void shiftDates_offsetOutsideTheBound_failsWithoutShifting() {
        FixedContext tooFar = new FixedContext(45, FixedContext.TODAY, "view-1");

        assertThatThrownBy(() -> enforcer.enforce(patient(),
                List.of(allowPatient("birthDate"), new Obligation.ShiftDates(30)), tooFar))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("TB-ENFORCE-004")
                .hasMessageNotContaining("45");
    }

    @Test
    void shiftDates_conflictingBounds_fail() {
        assertThatThrownBy(() -> enforce(patient(), allowPatient("birthDate"), new Obligation.ShiftDates(30),
                new Obligation.ShiftDates(60)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TB-ENFORCE-003");
    }
}
