package org.twinbridge.plugin.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbsorptionCurveTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void cumulative_isTheGammaTwoDistribution() {
        AbsorptionCurve curve = new AbsorptionCurve(Duration.ofMinutes(60));
        assertThat(curve.cumulative(Duration.ZERO)).isZero();
        assertThat(curve.cumulative(Duration.ofMinutes(-5))).isZero();
        assertThat(curve.cumulative(Duration.ofMinutes(60))).isCloseTo(1 - 2 / Math.E, within(1e-12));
        assertThat(curve.cumulative(MealsAndInsulin.MEMORY)).isGreaterThan(0.995);
    }

    @Test
    void fractions_overConsecutiveSteps_addUpToTheWhole() {
        AbsorptionCurve curve = AbsorptionCurve.MIXED_MEAL;
        double total = 0;
        for (int step = 0; step < 24 * 12; step++) {
            total += curve.fractionBetween(T0, T0.plus(Duration.ofMinutes(5L * step)),
                    T0.plus(Duration.ofMinutes(5L * step + 5)));
        }
        assertThat(total).isCloseTo(1, within(1e-9));
    }

    @Test
    void actingBetween_addsDosesByAmount_andIgnoresFutureDoses() {
        AbsorptionCurve curve = AbsorptionCurve.RAPID_INSULIN;
        Instant from = T0.plus(Duration.ofMinutes(55));
        Instant to = T0.plus(Duration.ofMinutes(60));
        double one = curve.fractionBetween(T0, from, to);
        List<AbsorptionCurve.Dose> doses = List.of(new AbsorptionCurve.Dose(T0, 2),
                new AbsorptionCurve.Dose(T0, 3), new AbsorptionCurve.Dose(to.plusSeconds(1), 10));
        assertThat(curve.actingBetween(doses, from, to)).isCloseTo(5 * one, within(1e-12));
    }

    @Test
    void doses_areKeptInOrder_andForgottenAfterEightHours() {
        MealsAndInsulin doses = MealsAndInsulin.NONE.withCarbs(new AbsorptionCurve.Dose(T0.plusSeconds(600), 20))
                .withCarbs(new AbsorptionCurve.Dose(T0, 30));
        assertThat(doses.carbs()).extracting(AbsorptionCurve.Dose::amount).containsExactly(30.0, 20.0);
        assertThat(doses.forgetBefore(T0.plus(Duration.ofHours(8)).plusSeconds(300)).carbs())
                .extracting(AbsorptionCurve.Dose::amount).containsExactly(20.0);
    }
}
