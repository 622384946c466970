package org.twinbridge.plugin.glucose;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Points in each zone of the Clarke grid, near its boundaries, worked out from the published figure. */
class ClarkeErrorGridTest {

    @ParameterizedTest(name = "reference {0}, estimate {1}: zone {2}")
    @CsvSource({
        "100, 100, A", "100, 120, A", "100, 80, A", "60, 40, A", "200, 239, A",
        "100, 121, B", "100, 79, B", "300, 200, B", "150, 100, B",
        "100, 210, C", "160, 40, C",
        "50, 100, D", "65, 80, D", "250, 150, D",
        "200, 60, E", "60, 200, E",
    })
    void zone_matchesTheGrid(double reference, double estimate, char expected) {
        assertThat(ClarkeErrorGrid.zone(reference, estimate)).isEqualTo(expected);
    }
}
