package org.twinbridge.policy.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.load.FederatedPolicy;

class FederationRulesTest {

    @TempDir
    Path dir;

    private FederatedPolicy load(String yaml) throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), yaml);
        return new PolicyLoader(FhirContext.forR4Cached()).loadFederated(dir);
    }

    private static final String SET = """
            policy-set: { id: site-a }
            federation:
              disclosure: { min-cell: 10, min-cohort: 20, max-categories: 12, noise: 0.1 }
              rules:
                - id: trial
                  effect: permit
                  requesters: [trial-*]
                  plugins: [tumour-twin]
                  purposes: [HRESCH]
                - id: not-the-rival
                  effect: deny
                  requesters: [trial-rival]
                  plugins: ["*"]
                  purposes: [HRESCH]
            """;

    @ParameterizedTest(name = "{0} running {1} for {2}: {3}")
    @CsvSource({
        "trial-coordinator, tumour-twin, HRESCH, true",
        "trial-rival,       tumour-twin, HRESCH, false",
        "trial-coordinator, tumour-twin, TREAT,  false",
        "trial-coordinator, news2-twin,  HRESCH, false",
        "someone-else,      tumour-twin, HRESCH, false"})
    void aTaskRuns_onlyIfARulePermitsAndNoneDenies(String requester, String plugin, String purpose, boolean permitted)
            throws Exception {
        FederatedPolicy set = load(SET);
        Decision d = set.federation().decide(requester, plugin, purpose, set.set().version());
        assertThat(d.permitted()).isEqualTo(permitted);
    }

    @Test
    void withoutAFederationSection_everyTaskIsDenied_andTheDefaultsApply() throws Exception {
        FederatedPolicy set = load("policy-set: { id: site-a }\n");
        Decision d = set.federation().decide("trial-coordinator", "tumour-twin", "HRESCH", set.set().version());
        assertThat(d).isInstanceOfSatisfying(Decision.Deny.class,
                deny -> assertThat(deny.reason()).contains("default deny"));
        assertThat(set.federation().disclosure()).isEqualTo(DisclosureSettings.defaults());
        assertThat(DisclosureSettings.defaults().minCell()).isEqualTo(5);
    }

    @Test
    void theOfficersThresholds_areRead() throws Exception {
        assertThat(load(SET).federation().disclosure()).isEqualTo(new DisclosureSettings(10, 20, 12, 80, 0.1));
    }

    @Test
    void aThresholdOutOfRange_isAnErrorWithItsPlace() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> load("""
                policy-set: { id: site-a }
                federation:
                  disclosure: { min-cell: 1 }
                """));
        assertThat(e.errors()).anySatisfy(err -> assertThat(err.format()).contains("policy.yaml:3:").contains(
                "TB-POLICY-024"));
    }

    @Test
    void aRuleWithoutPurposes_isAnError() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> load("""
                policy-set: { id: site-a }
                federation:
                  rules:
                    - { id: r, effect: permit, requesters: [a1], plugins: [p1] }
                """));
        assertThat(e.errors()).anySatisfy(err -> assertThat(err.format()).contains("TB-POLICY-001")
                .contains("purpose"));
    }
}
