package org.twinbridge.policy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowListDecisionPointTest {

    private final AllowListDecisionPoint point =
            new AllowListDecisionPoint(Map.of("news2-twin", List.of("Observation", "Patient")));

    @ParameterizedTest(name = "{0} sees {1}: {2}")
    @CsvSource({
        "news2-twin, Observation, true",
        "news2-twin, Condition, false",
        "other-twin, Observation, false",
    })
    void decide_followsTheAllowList(String recipient, String type, boolean permitted) {
        Resource resource = type.equals("Observation") ? new Observation() : new Condition();

        Decision decision = point.decide(new AccessRequest(recipient, "TREAT", resource, Set.of()));

        assertThat(decision.permitted()).isEqualTo(permitted);
        assertThat(decision.policyVersion()).isEqualTo(point.policyVersion());
    }

    @org.junit.jupiter.api.Test
    void policyVersion_changesWithContent() {
        var other = new AllowListDecisionPoint(Map.of("news2-twin", List.of("Observation")));

        assertThat(other.policyVersion()).isNotEqualTo(point.policyVersion());
        assertThat(new AllowListDecisionPoint(Map.of("news2-twin", List.of("Patient", "Observation")))
                .policyVersion()).isEqualTo(point.policyVersion());
    }
}
