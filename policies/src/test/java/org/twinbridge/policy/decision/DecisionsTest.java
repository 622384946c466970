package org.twinbridge.policy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecisionsTest {

    private static final Decision P1 = new Decision.Permit(List.of("p1"), "v");
    private static final Decision P2 = new Decision.Permit(List.of("p2"), "v");
    private static final Decision D1 = new Decision.Deny("d1 denies", List.of("d1"), "v");

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(List.of(), false, List.of()),
                Arguments.of(List.of(P1), true, List.of("p1")),
                Arguments.of(List.of(P1, P2), true, List.of("p1", "p2")),
                Arguments.of(List.of(D1), false, List.of("d1")),
                Arguments.of(List.of(P1, D1), false, List.of("d1")),
                Arguments.of(List.of(D1, P1, P2), false, List.of("d1")));
    }

    @ParameterizedTest(name = "{0} -> permit={1}")
    @MethodSource("table")
    void denyOverrides_truthTable(List<Decision> inputs, boolean permitted, List<String> decidingRules) {
        Decision combined = Decisions.denyOverrides(new ArrayList<>(inputs), "v");

        assertThat(combined.permitted()).isEqualTo(permitted);
        assertThat(combined.rules()).containsExactlyElementsOf(decidingRules);
        assertThat(combined.policyVersion()).isEqualTo("v");
    }
}
