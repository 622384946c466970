package org.twinbridge.plugin.news2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScoreHistoryTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    @Test
    void append_beyondCapacity_dropsOldest() {
        ScoreHistory history = ScoreHistory.EMPTY;
        for (int total = 0; total < 15; total++) {
            RiskBand band = RiskBand.of(total, Math.min(total, 3));
            history = history.append(new ScoreHistory.Entry(T0.plusSeconds(total), total, band));
        }

        assertThat(history.entries()).hasSize(ScoreHistory.CAPACITY);
        assertThat(history.entries().get(0).total()).isEqualTo(5);
        assertThat(history.last()).hasValueSatisfying(last -> assertThat(last.total()).isEqualTo(14));
    }

    @Test
    void last_ofEmpty_isEmpty() {
        assertThat(ScoreHistory.EMPTY.last()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1} is {2}")
    @CsvSource({"3, 5, RISING", "5, 3, FALLING", "4, 4, STABLE", "0, 0, STABLE"})
    void trend_between_comparesTotals(int previous, int current, Trend expected) {
        assertThat(Trend.between(previous, current)).isEqualTo(expected);
    }
}
