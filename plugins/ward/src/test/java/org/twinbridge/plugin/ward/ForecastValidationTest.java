package org.twinbridge.plugin.ward;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The forecast against the truth of a replayed ADT stream, and against the naive "same hour yesterday". */
class ForecastValidationTest {

    @Test
    void onAReplayedStream_theTwinBeatsSameHourYesterday_andItsIntervalCoversAboutNineInTen() {
        ForecastValidation.Result result = ForecastValidation.run(
                AdtStreamGenerator.generate(20250303L, Instant.parse("2025-03-03T00:00:00Z"), 14));
        System.out.print(result.table());

        assertThat(result.twinMae()).isLessThan(result.naiveMae());
        assertThat(result.twinRmse()).isLessThan(result.naiveRmse());
        assertThat(result.coverage90()).isBetween(0.75, 0.99);
        assertThat(result.censusMae()).as("out-of-order and cancelled messages barely disturb the census")
                .isLessThan(0.5);
    }

    @Test
    void anotherSeed_sameConclusion() {
        ForecastValidation.Result result = ForecastValidation.run(
                AdtStreamGenerator.generate(7L, Instant.parse("2025-06-02T00:00:00Z"), 14));

        assertThat(result.twinMae()).isLessThan(result.naiveMae());
    }
}
