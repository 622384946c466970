package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy explain --consent} and consent files in policy tests. */
class PolicyConsentCliTest {

    private static final Path SPEC_EXAMPLES = Path.of("../consent/src/test/resources/fhir-r4-consent-examples");
    private static final String CONSENT = """
            {"resourceType":"Consent","id":"%s","status":"active","patient":{"reference":"Patient/p1"},
             "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
             "provision":{"type":"%s"}}""";

    @TempDir
    Path dir;
    private Path policies;
    private Path record;

    @BeforeEach
    void writePolicies() throws Exception {
        policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("policy.yaml"), """
                policy-set: { id: consent-tools }
                rules:
                  - id: vitals-with-consent
                    effect: permit
                    recipients: [news2-twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    consent: required
                    project: { Observation: [code, "value[x]"] }
                """);
        Path records = Files.createDirectories(policies.resolve("tests/records"));
        record = Files.writeString(records.resolve("heart-rate.json"), """
                {"resourceType":"Observation","id":"o1","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
                 "subject":{"reference":"Patient/p1"},"valueQuantity":{"value":72}}""");
        Files.writeString(records.resolve("permit.json"), CONSENT.formatted("opt-in", "permit"));
        Files.writeString(records.resolve("deny.json"), CONSENT.formatted("opt-out", "deny"));
    }

    private CliRun explain(String... extra) {
        String[] base = {"policy", "explain", "--policies", policies.toString(), "--plugin", "news2-twin", "--purpose",
            "TREAT", "--record", record.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void explain_withAPermittingConsent_permits_andSaysWhichConsentDecided() {
        CliRun run = explain("--consent", policies.resolve("tests/records/permit.json").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Observation for news2-twin (TREAT): PERMIT")
                .contains("consent: Consent/opt-in v1 (file) provision permits everything in scope");
    }

    @Test
    void explain_withTwoConsents_oneDenying_denies_json() throws Exception {
        CliRun run = explain("--consent", policies.resolve("tests/records/permit.json").toString(), "--consent",
                policies.resolve("tests/records/deny.json").toString(), "--format", "json");

        assertThat(run.exitCode()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("decision").asText()).isEqualTo("deny");
        assertThat(doc.get("reason").asText()).contains("consent denies: Consent/opt-out v1 (file) provision denies");
        assertThat(doc.get("consent").asText()).startsWith("Consent/opt-out v1 (file)");
        assertThat(doc.get("view").isNull()).isTrue();
    }

    @Test
    void explain_withoutConsent_deniesAndSaysHowToGiveOne() {
        CliRun run = explain();

        assertThat(run.out()).contains("DENY").contains("no consent was given (pass --consent FILE)");
    }

    @Test
    void explain_aSpecExample_withTheActorItNames_denies() {
        CliRun asNews2 = explain("--consent", SPEC_EXAMPLES.resolve("Consent-consent-example-notOrg.json").toString());
        CliRun asTheClinic = explain("--consent", SPEC_EXAMPLES.resolve("Consent-consent-example-notOrg.json")
                .toString(), "--actor", "Organization/f001");

        assertThat(asNews2.out()).contains("DENY").contains("none of the patient's 1 consent(s) applies")
                .contains("Consent/consent-example-notOrg v1 (file) does not apply: its provision does not match");
        assertThat(asTheClinic.out()).contains("DENY").contains("Consent/consent-example-notOrg v1 (file) provision "
                + "denies actor Organization/f001, action access");
    }

    @Test
    void explain_badConsentFile_exits2() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{ not json");

        CliRun run = explain("--consent", bad.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(bad + ": TB-CONSENT-002 not a FHIR R4 JSON resource");
    }

    @Test
    void test_casesWithConsentFiles_andGivenAbsent_allRun() throws Exception {
        Files.writeString(policies.resolve("tests/consent.yaml"), """
                tests:
                  - name: an opt-in consent lets the twin see vitals
                    recipient: news2-twin
                    purpose: TREAT
                    record: records/heart-rate.json
                    consent: [records/permit.json]
                    expect: permit
                  - name: a later opt-out wins
                    recipient: news2-twin
                    purpose: TREAT
                    record: records/heart-rate.json
                    consent: [records/permit.json, records/deny.json]
                    expect: deny
                  - name: consent given still works
                    recipient: news2-twin
                    purpose: TREAT
                    record: records/heart-rate.json
                    consent: given
                    expect: permit
                  - name: no consent means no
                    recipient: news2-twin
                    purpose: TREAT
                    record: records/heart-rate.json
                    expect: deny
                """);

        CliRun run = CliRun.of("policy", "test", policies.toString());

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("4 passed, 0 failed");
    }

    @Test
    void validate_aMissingConsentFile_isLocated() throws Exception {
        Files.writeString(policies.resolve("tests/consent.yaml"), """
                tests:
                  - name: missing consent file
                    recipient: news2-twin
                    purpose: TREAT
                    record: records/heart-rate.json
                    consent: [records/nope.json]
                    expect: permit
                """);

        CliRun run = CliRun.of("policy", "validate", policies.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("consent.yaml:6:").contains("TB-POLICY-022 consent file records/nope.json "
                + "not found");
    }
}
