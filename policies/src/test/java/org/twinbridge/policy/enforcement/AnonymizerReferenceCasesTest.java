package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Account;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.twinbridge.policy.model.Obligation.AllowElements;
import org.twinbridge.policy.model.Obligation.Generalise;

/**
 * Microsoft's FHIR anonymizer test cases (see {@code anonymizer-cases/README.md}), each run through obligations
 * equivalent to the anonymizer configuration. Both outputs are reduced to the set of populated element paths;
 * the paths the anonymizer keeps and we drop, and the reverse, must be exactly the documented differences.
 * Hash and shifted date values differ by design and are compared by shape only.
 */
class AnonymizerReferenceCasesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String CASES = "/anonymizer-cases/cases/";
    /** The anonymizer labels what it did in meta.security; we set no labels of our own. */
    private static final String MS_LABELS = "meta.security";

    private final Enforcer enforcer = new Enforcer(FHIR);
    private final FixedContext context = new FixedContext(-20, LocalDate.of(2025, 6, 15), "view-1");

    /** Patient elements common-config neither redacts nor reduces to nothing. */
    private static final Set<String> COMMON_PATIENT = Set.of("active", "gender", "birthDate", "deceased[x]",
            "maritalStatus", "multipleBirth[x]", "communication", "managingOrganization", "link.type",
            "identifier.period", "name.use", "name.period", "telecom.period", "address.state", "address.country",
            "address.postalCode", "address.period", "contact.relationship", "contact.name.use", "contact.name.period",
            "contact.telecom.period", "contact.address.state", "contact.address.country", "contact.address.postalCode",
            "contact.address.period", "contact.gender", "contact.organization", "contact.period");

    /** The same without dates and postal codes, which common-no-partial-config redacts outright. */
    private static final Set<String> NO_PARTIAL_PATIENT = Set.of("active", "gender", "deceased[x]", "maritalStatus",
            "multipleBirth[x]", "communication", "managingOrganization", "link.type", "name.use", "address.state",
            "address.country", "contact.relationship", "contact.name.use", "contact.address.state",
            "contact.address.country", "contact.gender", "contact.organization");

    /**
     * One mapped case.
     *
     * @param onlyInTarget path prefixes the anonymizer keeps and we drop, each matching at least one path
     * @param onlyInOurs path prefixes we keep and the anonymizer drops
     */
    record MappedCase(String name, String input, String target, List<Obligation> obligations,
                      List<String> onlyInTarget, List<String> onlyInOurs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<MappedCase> cases() {
        // The anonymizer's "keep" of Address.where(city='KeepTest') is a condition on content; an allow-list
        // names elements only, so that address is projected like the others.
        List<String> keepTestAddress = List.of("address.use", "address.type", "address.text", "address.line",
                "address.city", "address.district");
        return Stream.of(
                new MappedCase("patient-basic (common-config)", "patient-basic.json", "patient-basic-target.json",
                        List.of(new AllowElements("Patient", COMMON_PATIENT), new Obligation.ShiftDates(50),
                                new Generalise(Map.of("address.postalCode", new Generalise.Prefix(3),
                                        "contact.address.postalCode", new Generalise.Prefix(3)))),
                        concat(List.of(MS_LABELS, "birthDate.extension"), keepTestAddress), List.of()),
                new MappedCase("patient-no-partial (common-no-partial-config)", "patient-basic.json",
                        "patient-no-partial-target.json",
                        List.of(new AllowElements("Patient", NO_PARTIAL_PATIENT)),
                        concat(List.of(MS_LABELS, "address.postalCode", "address.period"), keepTestAddress),
                        List.of()),
                new MappedCase("patient-redact-all (redact-all-config)", "patient-basic.json",
                        "patient-redact-all-target.json", List.of(new AllowElements("Patient", Set.of())),
                        List.of(MS_LABELS), List.of("id")),
                new MappedCase("contained-basic (common-config)", "contained-basic.json", "contained-basic-target.json",
                        List.of(new AllowElements("Condition", Set.of("asserter", "code", "subject", "onset[x]")),
                                new Obligation.ShiftDates(50)),
                        List.of(MS_LABELS, "contained.id", "asserter.reference"), List.of("id")),
                new MappedCase("Account (r4-configuration-sample)", "R4OnlyResource/Account-R4.json",
                        "R4OnlyResource/Account-R4-target.json",
                        List.of(new AllowElements("Account", Set.of("identifier.system", "status", "type.coding.system",
                                "subject", "servicePeriod", "coverage", "owner")),
                                new Obligation.ShiftDates(50), new Obligation.Pseudonymise()),
                        List.of(MS_LABELS), List.of()),
                new MappedCase("ServiceRequest (r4-configuration-sample)", "R4OnlyResource/ServiceRequest.json",
                        "R4OnlyResource/ServiceRequest-target.json",
                        List.of(new AllowElements("ServiceRequest", Set.of("identifier.system",
                                "identifier.type.coding.system", "status", "intent", "code.coding.system", "subject",
                                "encounter", "occurrence[x]", "requester", "performer", "reasonCode.coding.system",
                                "supportingInfo", "specimen")),
                                new Obligation.ShiftDates(50), new Obligation.Pseudonymise()),
                        List.of(MS_LABELS, "contained.", "supportingInfo.reference", "specimen.reference"),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void enforce_anonymizerCase_removesAndKeepsTheSameElementsUpToDocumentedDifferences(MappedCase mapped) {
        Resource input = read(mapped.input());
        Resource target = read(mapped.target());

        Resource ours = enforcer.enforce(input, mapped.obligations(), context);

        Set<String> ourPaths = populatedPaths(ours);
        Set<String> targetPaths = populatedPaths(target);
        assertDifference(minus(targetPaths, ourPaths), mapped.onlyInTarget(), "kept by the anonymizer only");
        assertDifference(minus(ourPaths, targetPaths), mapped.onlyInOurs(), "kept by us only");
    }

    @Test
    void patientBasic_datesAreShiftedWithTheirPrecision_andPostalCodesKeepTheAnonymizersPrefix() {
        Patient target = (Patient) read("patient-basic-target.json");
        Patient ours = (Patient) enforcer.enforce(read("patient-basic.json"),
                List.of(new AllowElements("Patient", COMMON_PATIENT), new Obligation.ShiftDates(50),
                        new Generalise(Map.of("address.postalCode", new Generalise.Prefix(3)))), context);

        assertThat(ours.getBirthDateElement().getValueAsString()).isEqualTo("1999-12-12")
                .hasSameSizeAs(target.getBirthDateElement().getValueAsString());
        // Year-only dates are not moved, by us or by the anonymizer.
        assertThat(ours.getName().get(2).getPeriod().getEndElement().getValueAsString())
                .isEqualTo(target.getName().get(2).getPeriod().getEndElement().getValueAsString()).isEqualTo("2002");
        assertThat(ours.getContactFirstRep().getPeriod().getStartElement().getValueAsString())
                .isEqualTo(target.getContactFirstRep().getPeriod().getStartElement().getValueAsString());
        // The anonymizer pads the kept zip3 with zeros ("12300"); we keep the prefix alone.
        assertThat(ours.getAddressFirstRep().getPostalCode()).isEqualTo("123");
        assertThat(target.getAddressFirstRep().getPostalCode()).startsWith(ours.getAddressFirstRep().getPostalCode());
    }

    @Test
    void account_referencesKeepTheirTypes_andThePeriodKeepsItsLength() {
        Account input = (Account) read("R4OnlyResource/Account-R4.json");
        Account target = (Account) read("R4OnlyResource/Account-R4-target.json");
        Account ours = (Account) enforcer.enforce(input, List.of(new AllowElements("Account",
                Set.of("subject", "servicePeriod", "coverage", "owner")), new Obligation.ShiftDates(50),
                new Obligation.Pseudonymise()), context);

        assertThat(types(ours.getSubject())).isEqualTo(types(target.getSubject())).containsExactly("Patient");
        assertThat(FixedContext.typeOf(ours.getOwner().getReference())).isEqualTo("Organization");
        assertThat(ours.getOwner().getReference()).isNotEqualTo(input.getOwner().getReference());
        assertThat(days(ours.getServicePeriod())).isEqualTo(days(input.getServicePeriod()))
                .isEqualTo(days(target.getServicePeriod()));
    }

    @Test
    void serviceRequest_narrativeNotesAndContainedResourcesAreGone() {
        ServiceRequest ours = (ServiceRequest) enforcer.enforce(read("R4OnlyResource/ServiceRequest.json"),
                List.of(new AllowElements("ServiceRequest", Set.of("status", "code", "subject", "occurrence[x]",
                        "supportingInfo", "specimen")), new Obligation.Pseudonymise()), context);

        String json = FHIR.newJsonParser().encodeResourceToString(ours);
        assertThat(json).doesNotContain("afraid of needles").doesNotContain("20150107-0012")
                .doesNotContain("#fasting").doesNotContain("Patient/example").contains("LIPID");
    }

    private static List<String> types(List<Reference> references) {
        return references.stream().map(r -> FixedContext.typeOf(r.getReference())).toList();
    }

    private static long days(org.hl7.fhir.r4.model.Period period) {
        return ChronoUnit.DAYS.between(LocalDate.parse(period.getStartElement().getValueAsString()),
                LocalDate.parse(period.getEndElement().getValueAsString()));
    }

    private static void assertDifference(Set<String> difference, List<String> expectedPrefixes, String what) {
        assertThat(difference).as("paths " + what).allSatisfy(path -> assertThat(expectedPrefixes)
                .as(path + " is a documented difference").anyMatch(path::startsWith));
        assertThat(expectedPrefixes).as("documented differences " + what + " that no longer occur")
                .allSatisfy(prefix -> assertThat(difference).anyMatch(path -> path.startsWith(prefix)));
    }

    /** Every populated primitive as a dot path of element names, like {@code name.period.end}. */
    static Set<String> populatedPaths(Base base) {
        Set<String> paths = new TreeSet<>();
        collect(base, "", paths);
        return paths;
    }

    private static void collect(Base base, String path, Set<String> paths) {
        if (base instanceof PrimitiveType<?> primitive && primitive.hasValue()) {
            paths.add(path);
        }
        for (Property property : base.children()) {
            for (Base value : property.getValues()) {
                if (value != null && !value.fhirType().equals("xhtml")) {
                    collect(value, path.isEmpty() ? property.getName() : path + "." + property.getName(), paths);
                }
            }
        }
    }

    private static Set<String> minus(Set<String> from, Set<String> remove) {
        return from.stream().filter(path -> !remove.contains(path)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    private static Resource read(String file) {
        try (InputStream in = AnonymizerReferenceCasesTest.class.getResourceAsStream(CASES + file)) {
            assertThat(in).as(file).isNotNull();
            return (Resource) FHIR.newJsonParser().parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(file, e);
        }
    }
}
