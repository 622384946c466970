package org.twinbridge.policy.explain;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.policytest.PolicyTestCase;
import org.twinbridge.policy.policytest.PolicyTestResult;
import org.twinbridge.policy.policytest.PolicyTestSuite;

/** How explain and policy tests consult the patient's consent. */
class PolicyExplainerConsentTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    @TempDir
    Path dir;
    private PolicyExplainer explainer;

    @BeforeEach
    void load() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), """
                policy-set: { id: t }
                rules:
                  - id: with-consent
                    effect: permit
                    recipients: [twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    consent: required
                    project: { Observation: [code] }
                  - id: without-consent
                    effect: permit
                    recipients: [other-twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    project: { Observation: [code] }
                """);
        explainer = new PolicyExplainer(FHIR, new PolicyDecisionPoint(new PolicyLoader(FHIR).load(dir)),
                LocalDate.of(2026, 3, 1));
    }

    private static Observation observation() {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        o.setSubject(new Reference("Patient/p1"));
        return o;
    }

    @Test
    void explain_consentRequired_asksTheCheck_andItsDenyDecides() {
        List<AccessRequest> asked = new ArrayList<>();
        ConsentCheck denying = request -> {
            asked.add(request);
            return new ConsentCheck.Outcome(false, "Consent/x v2 (file) provision denies class Observation");
        };

        Explanation explanation = explainer.explain("twin", "TREAT", observation(), denying);

        assertThat(asked).singleElement().satisfies(r -> assertThat(r.recipient()).isEqualTo("twin"));
        assertThat(explanation.policyDecision().permitted()).isTrue();
        assertThat(explanation.finalDecision().permitted()).isFalse();
        assertThat(explanation.consent()).hasValue("Consent/x v2 (file) provision denies class Observation");
        assertThat(explanation.view()).isEmpty();
    }

    @Test
    void explain_consentNotRequired_neverAsks() {
        ConsentCheck failing = request -> {
            throw new AssertionError("consent must not be consulted");
        };

        Explanation explanation = explainer.explain("other-twin", "TREAT", observation(), failing);

        assertThat(explanation.finalDecision().permitted()).isTrue();
        assertThat(explanation.consent()).isEmpty();
    }

    @Test
    void suite_consentFiles_areHandedToTheLoader_andWithoutOneTheCaseFailsClearly() throws Exception {
        Files.createDirectories(dir.resolve("tests"));
        Files.writeString(dir.resolve("tests/o.json"), FHIR.newJsonParser().encodeResourceToString(observation()));
        Files.writeString(dir.resolve("tests/c.json"), "{}");
        Files.writeString(dir.resolve("tests/t.yaml"), """
                tests:
                  - { name: files, recipient: twin, purpose: TREAT, record: o.json, consent: [c.json], expect: permit }
                  - { name: given, recipient: twin, purpose: TREAT, record: o.json, consent: given, expect: permit }
                """);
        PolicyTestSuite suite = PolicyTestSuite.load(FHIR, dir);
        List<List<Path>> loaded = new ArrayList<>();

        List<PolicyTestResult> withLoader = suite.run(explainer, files -> {
            loaded.add(files);
            return ConsentCheck.given();
        });
        List<PolicyTestResult> without = suite.run(explainer);

        assertThat(suite.cases().get(0).consent()).isEqualTo(new PolicyTestCase.Files(
                List.of(dir.resolve("tests/c.json"))));
        assertThat(loaded).containsExactly(List.of(dir.resolve("tests/c.json")));
        assertThat(withLoader).allSatisfy(r -> assertThat(r.passed()).isTrue());
        assertThat(without.get(0).failures()).singleElement().asString().contains("TB-POLICY-023");
        assertThat(without.get(1).passed()).isTrue();
        assertThat(Set.of(suite.cases().get(1).consent())).containsExactly(new PolicyTestCase.Given());
    }
}
