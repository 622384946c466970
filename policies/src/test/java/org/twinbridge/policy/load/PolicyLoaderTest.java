package org.twinbridge.policy.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.policy.model.Obligation;
import org.twinbridge.policy.model.PolicyRule;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.policy.yaml.LocatedError;

class PolicyLoaderTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String HEADER = "policy-set: { id: test, description: tests }\n";
    private static final String VALID_RULE = """
            rules:
              - id: vitals
                effect: permit
                recipients: [news2-twin]
                purposes: [TREAT]
                resource-types: [Observation, Patient]
                condition: "Observation.status = 'final'"
                deny-labels: [HIV]
                shift-dates: 30
                generalise: { Patient.birthDate: year, "Patient.address.postalCode": prefix(3) }
                redact: [Patient.address.city]
                project:
                  Observation: [code, \"value[x]\", component.code, subject]
                  Patient: [gender, birthDate, address.postalCode, address.city]
            """;

    @TempDir
    Path dir;

    private PolicySet load(String... files) throws Exception {
        for (int i = 0; i < files.length; i++) {
            Files.writeString(dir.resolve("p" + i + ".yaml"), files[i]);
        }
        return new PolicyLoader(FHIR).load(dir);
    }

    private List<LocatedError> errorsOf(String... files) {
        return catchThrowableOfType(PolicyException.class, () -> load(files)).errors();
    }

    @Test
    void load_validSet_buildsRulesWithTheirObligationsPerType() throws Exception {
        PolicySet set = load(HEADER + VALID_RULE);

        assertThat(set.id()).isEqualTo("test");
        assertThat(set.version()).startsWith("sha256:");
        PolicyRule rule = set.rules().get(0);
        assertThat(rule.effect()).isEqualTo(PolicyRule.Effect.PERMIT);
        assertThat(rule.condition()).isPresent();
        assertThat(rule.obligations().get("Observation")).containsExactly(
                new Obligation.AllowElements("Observation", java.util.Set.of("code", "value[x]", "component.code",
                        "subject")),
                new Obligation.ShiftDates(30), new Obligation.Pseudonymise());
        assertThat(rule.obligations().get("Patient")).hasSize(5)
                .contains(new Obligation.Redact(java.util.Set.of("address.city")));
    }

    @Test
    void load_rulesAcrossFiles_formOneSet_andTheVersionChangesWithAnyFile() throws Exception {
        PolicySet first = load(HEADER, VALID_RULE);
        Files.writeString(dir.resolve("p1.yaml"), VALID_RULE.replace("shift-dates: 30", "shift-dates: 31"));
        PolicySet second = new PolicyLoader(FHIR).load(dir);

        assertThat(first.rules()).hasSize(1);
        assertThat(second.version()).isNotEqualTo(first.version());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown key           | 'recipeints: [a]'                          | TB-YAML-001   | recipients",
        "unknown purpose       | 'purposes: [TREATMENT]'                    | TB-POLICY-003 | TREATMENT",
        "bad FHIRPath          | 'condition: \"Observation.code.where(\"'     | TB-POLICY-004 | not valid FHIRPath",
        "unknown element       | 'project: { Observation: [code, valu] }'   | TB-POLICY-007 | 'valu' is not an element of Observation",
        "nested unknown        | 'project: { Observation: [code.codding] }' | TB-POLICY-007 | 'codding' is not an element of Observation.code",
        "not a resource type   | 'resource-types: [Observaton]'             | TB-POLICY-009 | not a FHIR R4 resource type",
        "unknown label         | 'deny-labels: [HIVV]'                      | TB-POLICY-005 | HIVV",
        "bad generalisation    | 'generalise: { Observation.issued: decade }' | TB-POLICY-010 | decade",
        "bad shift             | 'shift-dates: forever'                     | TB-POLICY-011 | 1 to 3650",
        "bad dates             | 'generalise: { dates: age-cap(89) }'       | TB-POLICY-017 | 'year'",
        "bad ages              | 'generalise: { ages: year }'               | TB-POLICY-017 | age-cap(N)",
        "ages out of range     | 'generalise: { ages: age-cap(0) }'         | TB-POLICY-017 | 1 to 150",
        "coded-only bad path   | 'coded-only: [Observation.nosuch]'         | TB-POLICY-007 | nosuch",
        "coded-only other type | 'coded-only: [Patient.name]'               | TB-POLICY-007 | resource types",
        "text below a choice   | 'project: { Observation: [\"value[x].nosuch\"] }' | TB-POLICY-007 | nosuch",
    })
    void load_mistake_isReportedAtItsLineWithACode(String name, String line, String code, String message) {
        String rule = """
                rules:
                  - id: r1
                    effect: permit
                    recipients: [a-twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    project: { Observation: [code] }
                """;
        String key = line.substring(0, line.indexOf(':'));
        String yaml = rule.lines().filter(l -> !l.trim().startsWith(key + ":")).reduce("", (a, b) -> a + b + "\n")
                + "    " + line + "\n";

        List<LocatedError> errors = errorsOf(HEADER + yaml);

        assertThat(errors).anySatisfy(e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.message()).contains(message);
            assertThat(e.line()).isGreaterThan(1);
            assertThat(e.file()).endsWith("p0.yaml");
        });
    }

    @Test
    void load_permitWithoutProjection_andDenyWithObligations_areRejected() {
        List<LocatedError> errors = errorsOf(HEADER + """
                rules:
                  - { id: a, effect: permit, recipients: [x], purposes: [TREAT], resource-types: [Observation] }
                  - { id: b, effect: deny, recipients: [x], purposes: [TREAT], resource-types: [Observation],
                      project: { Observation: [code] } }
                """);

        assertThat(errors).extracting(LocatedError::code).contains("TB-POLICY-006", "TB-POLICY-008");
        assertThat(errors).extracting(LocatedError::line).contains(3, 5);
    }

    @Test
    void load_keepsGoingAfterTheFirstError_acrossFiles() {
        List<LocatedError> errors = errorsOf(HEADER + "rules:\n  - { id: a, effect: maybe }\n",
                "rules:\n  - { id: a, effect: deny, recipients: [x], purposes: [NOPE], resource-types: [Patient] }\n",
                "not: [valid");

        assertThat(errors).extracting(LocatedError::code)
                .contains("TB-POLICY-001", "TB-POLICY-003", "TB-YAML-009");
        assertThat(errors).extracting(LocatedError::file).anyMatch(f -> f.endsWith("p1.yaml"))
                .anyMatch(f -> f.endsWith("p2.yaml"));
    }

    @Test
    void load_duplicateRuleIdsOrTwoHeaders_areErrors() {
        String rule = "  - { id: same, effect: deny, recipients: [x], purposes: [TREAT], resource-types: [Patient] }\n";
        assertThat(errorsOf(HEADER + "rules:\n" + rule + rule)).extracting(LocatedError::code)
                .contains("TB-POLICY-002");
        assertThat(errorsOf(HEADER, HEADER)).extracting(LocatedError::code).contains("TB-POLICY-015");
    }

    @Test
    void load_noHeaderOrNoDirectory_areErrors() {
        assertThat(errorsOf("rules: []\n")).extracting(LocatedError::code).containsExactly("TB-POLICY-012");
        assertThat(catchThrowableOfType(PolicyException.class, () -> new PolicyLoader(FHIR)
                .load(dir.resolve("missing"))).errors()).extracting(LocatedError::code).containsExactly("TB-POLICY-013");
    }

    @Test
    void load_labels_readsCodeListsAndChecksThem() throws Exception {
        Files.writeString(dir.resolve("labels.yaml"), """
                labels:
                  - label: HIV
                    codes:
                      - { system: "http://hl7.org/fhir/sid/icd-10-cm", prefix: B20 }
                      - { system: "http://snomed.info/sct", code: "86406008" }
                """);
        assertThat(load(HEADER).labels().entries()).hasSize(2);

        Files.writeString(dir.resolve("labels.yaml"), """
                labels:
                  - label: NOPE
                    codes: [ { system: "x", code: "1", prefix: "2" } ]
                """);
        assertThat(catchThrowableOfType(PolicyException.class, () -> new PolicyLoader(FHIR).load(dir)).errors())
                .extracting(LocatedError::code).contains("TB-POLICY-005", "TB-POLICY-014");
    }

    @Test
    void load_codedOnlyAndTypeDrivenGeneralisation_becomeObligationsOnEveryGrantedType() throws Exception {
        PolicySet set = load(HEADER + """
                rules:
                  - id: research
                    effect: permit
                    recipients: [cohort]
                    purposes: [HRESCH]
                    resource-types: [Observation, Condition]
                    coded-only: all
                    generalise: { dates: year, ages: age-cap(89) }
                    project:
                      Observation: [code, "value[x]", "value[x].text"]
                      Condition: [code]
                  - id: named
                    effect: permit
                    recipients: [other]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    coded-only: [Observation.code, "Observation.value[x]"]
                    project: { Observation: [code, "value[x]"] }
                """);

        PolicyRule research = set.rules().get(0);
        for (String type : List.of("Observation", "Condition")) {
            assertThat(research.obligations().get(type)).contains(new Obligation.CodedOnly(java.util.Set.of(), true),
                    new Obligation.DatesToYear(), new Obligation.CapAges(89));
        }
        assertThat(set.rules().get(1).obligations().get("Observation"))
                .contains(new Obligation.CodedOnly(java.util.Set.of("code", "value[x]"), false));
    }

    @Test
    void load_labelRanges_areReadAndChecked() throws Exception {
        Files.writeString(dir.resolve("labels.yaml"), """
                labels:
                  - label: HIV
                    source: ICD-10
                    codes:
                      - { system: "http://hl7.org/fhir/sid/icd-10", range: "B20-B24" }
                """);
        assertThat(load(HEADER).labels().entries()).singleElement()
                .satisfies(e -> assertThat(e.match()).isEqualTo(org.twinbridge.policy.model.SensitivityLabels.Match.RANGE));

        for (String bad : List.of("B24-B20", "B20", "B20-", "-B24", "B20-B22-B24")) {
            Files.writeString(dir.resolve("labels.yaml"), """
                    labels:
                      - label: HIV
                        codes: [ { system: "http://hl7.org/fhir/sid/icd-10", range: "%s" } ]
                    """.formatted(bad));
            assertThat(catchThrowableOfType(PolicyException.class, () -> new PolicyLoader(FHIR).load(dir)).errors())
                    .as(bad).extracting(LocatedError::code).containsExactly("TB-POLICY-016");
        }
    }

    @Test
    void load_billionLaughs_isRefusedNotExpanded() {
        String bomb = HEADER + """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                """;
        assertThat(errorsOf(bomb)).extracting(LocatedError::code).contains("TB-YAML-009");
    }
}
