package org.twinbridge.plugin.tumour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GompertzFitTest {

    private static final Drug DRUG = new Drug("testdrug", 75, "mg/m2", 2.0, 20, Set.of());
    private static final GompertzNortonSimon TRUTH = new GompertzNortonSimon(0.006, 120, 1.5);
    private static final double TRUE_S0 = 20;

    /** Untreated for 180 days, then six cycles every 21 days; imaged every four weeks to day 392. */
    private static Exposure treatment() {
        List<Exposure.Dose> doses = new ArrayList<>();
        for (int cycle = 0; cycle < 6; cycle++) {
            doses.add(new Exposure.Dose(180 + 21 * cycle, DRUG, 1));
        }
        return new Exposure(doses);
    }

    private static List<GompertzFit.Point> synthetic(double noiseSd, long seed) {
        List<Double> days = new ArrayList<>();
        for (int day = 0; day <= 392; day += 28) {
            days.add((double) day);
        }
        List<Double> sizes = TRUTH.simulate(TRUE_S0, 0, days, treatment());
        Random random = new Random(seed);
        List<GompertzFit.Point> points = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            points.add(new GompertzFit.Point(days.get(i), sizes.get(i) * Math.exp(noiseSd * random.nextGaussian())));
        }
        return points;
    }

    @Test
    void fit_ofNoiselessData_recoversTheParameters() {
        GompertzFit.Result fit = GompertzFit.fit(synthetic(0, 1), treatment());

        assertThat(fit.model().alpha()).isCloseTo(0.006, within(0.006 * 0.03));
        assertThat(fit.model().capacity()).isCloseTo(120, within(120 * 0.05));
        assertThat(fit.model().sensitivity()).isCloseTo(1.5, within(1.5 * 0.03));
        assertThat(fit.startSize()).isCloseTo(TRUE_S0, within(TRUE_S0 * 0.03));
        assertThat(fit.rmsLogResidual()).isLessThan(0.02);
    }

    @ParameterizedTest(name = "noise seed {0}")
    @ValueSource(longs = {3, 17, 2024})
    void fit_ofDataWithFivePercentNoise_recoversTheParameters(long seed) {
        GompertzFit.Result fit = GompertzFit.fit(synthetic(0.05, seed), treatment());
        System.out.printf(java.util.Locale.ROOT, "seed %d: alpha %.5f K %.1f S0 %.2f beta %.3f rms %.3f (%d iterations)%n",
                seed, fit.model().alpha(), fit.model().capacity(), fit.startSize(), fit.model().sensitivity(),
                fit.rmsLogResidual(), fit.iterations());

        assertThat(fit.model().alpha()).isCloseTo(0.006, within(0.006 * 0.2));
        assertThat(fit.model().capacity()).isCloseTo(120, within(120 * 0.3));
        assertThat(fit.model().sensitivity()).isCloseTo(1.5, within(1.5 * 0.2));
        assertThat(fit.startSize()).isCloseTo(TRUE_S0, within(TRUE_S0 * 0.15));
        assertThat(fit.rmsLogResidual()).isBetween(0.01, 0.12);
    }

    @Test
    void fit_withoutTreatment_leavesTheSensitivityAtItsPrior() {
        List<GompertzFit.Point> untreated = List.of(new GompertzFit.Point(0, 20), new GompertzFit.Point(60, 26),
                new GompertzFit.Point(120, 32));
        GompertzFit.Result fit = GompertzFit.fit(untreated, Exposure.NONE);

        assertThat(fit.model().sensitivity()).isCloseTo(1.0, within(1e-6));
        List<Double> refit = fit.model().simulate(fit.startSize(), 0, List.of(0.0, 60.0, 120.0), Exposure.NONE);
        assertThat(refit.get(2)).isCloseTo(32, within(32 * 0.1));
    }

    @Test
    void solve_solvesASmallLinearSystem() {
        double[] x = GompertzFit.solve(new double[][] {{0, 2, 0, 0}, {1, 1, 0, 0}, {0, 0, 3, 1}, {0, 0, 1, 2}},
                new double[] {4, 3, 5, 5});
        assertThat(x).containsExactly(new double[] {1, 2, 1, 2}, within(1e-12));
    }
}
