package org.twinbridge.policy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.explain.PolicyExplainer;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.policy.policytest.PolicyTestResult;
import org.twinbridge.policy.policytest.PolicyTestSuite;

/** Every shipped example policy set is valid and passes its own policy tests. */
class PolicyExamplesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @ParameterizedTest
    @ValueSource(strings = {"demo", "safe-harbor", "treatment-minimum-necessary", "ward-operations",
        "implant-monitoring"})
    void example_isValid_andPassesItsOwnTests(String name) throws Exception {
        Path dir = Path.of("examples", name);
        PolicySet set = new PolicyLoader(FHIR).load(dir);
        PolicyTestSuite suite = PolicyTestSuite.load(FHIR, dir);

        List<PolicyTestResult> results = suite.run(new PolicyExplainer(FHIR, new PolicyDecisionPoint(set),
                LocalDate.of(2026, 11, 29)));

        assertThat(results).hasSizeGreaterThanOrEqualTo(4);
        assertThat(results).allSatisfy(r -> assertThat(r.failures()).as(r.testCase().name()).isEmpty());
    }
}
