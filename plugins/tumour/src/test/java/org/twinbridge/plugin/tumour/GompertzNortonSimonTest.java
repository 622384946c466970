package org.twinbridge.plugin.tumour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GompertzNortonSimonTest {

    private static final double ALPHA = 0.01;
    private static final double K = 150;
    private static final double S0 = 12;

    /** The closed-form Gompertz solution: S(t) = K exp(ln(S0/K) exp(-alpha t)). */
    private static double gompertz(double t) {
        return K * Math.exp(Math.log(S0 / K) * Math.exp(-ALPHA * t));
    }

    @Test
    void rk4_onTheGompertzEquation_matchesTheClosedForm() {
        GompertzNortonSimon model = new GompertzNortonSimon(ALPHA, K, 0);
        Rk4.Derivative gompertz = (t, s) -> model.rate(s, 0);
        for (double t : new double[] {1, 30, 100, 365, 1000}) {
            double numeric = Rk4.integrate(gompertz, 0, S0, t, GompertzNortonSimon.MAX_STEP_DAYS);
            assertThat(numeric / gompertz(t) - 1).as("relative error at day %s", t).isCloseTo(0, within(1e-10));
        }
    }

    @Test
    void rk4_errorFallsWithTheFourthPowerOfTheStep() {
        GompertzNortonSimon fast = new GompertzNortonSimon(0.2, K, 0);
        Rk4.Derivative f = (t, s) -> fast.rate(s, 0);
        double exact = K * Math.exp(Math.log(S0 / K) * Math.exp(-0.2 * 20));
        double coarse = Math.abs(Rk4.integrate(f, 0, S0, 20, 2.0) - exact);
        double fine = Math.abs(Rk4.integrate(f, 0, S0, 20, 1.0) - exact);
        assertThat(coarse / fine).isBetween(12.0, 20.0); // 2^4 = 16
    }

    @Test
    void simulate_withoutDrugs_followsTheClosedForm_atEveryRequestedDay() {
        GompertzNortonSimon model = new GompertzNortonSimon(ALPHA, K, 1);
        List<Double> days = List.of(0.0, 7.0, 70.0, 700.0);
        List<Double> sizes = model.simulate(S0, 0, days, Exposure.NONE);
        for (int i = 0; i < days.size(); i++) {
            assertThat(sizes.get(i)).isCloseTo(gompertz(days.get(i)), within(1e-8));
        }
    }

    @Test
    void simulate_withDoses_matchesTheClosedFormOfTheNortonSimonTerm() {
        // In u = ln(S/K) the equation is linear, du/dt = -alpha u (1 - beta E(t)), so
        // u(t) = u0 exp(-alpha (t - beta * integral of E)); E of one dose is p exp(-k (t - td)).
        Drug drug = new Drug("testdrug", 100, "mg/m2", 2.0, 20, Set.of());
        double beta = 1.5;
        double[] doseDays = {10, 31, 52};
        Exposure exposure = new Exposure(List.of(new Exposure.Dose(10, drug, 1), new Exposure.Dose(31, drug, 1),
                new Exposure.Dose(52, drug, 0.5)));
        GompertzNortonSimon model = new GompertzNortonSimon(ALPHA, K, beta);
        List<Double> days = List.of(5.0, 10.0, 20.0, 31.0, 45.0, 80.0, 200.0);

        List<Double> sizes = model.simulate(S0, 0, days, exposure);

        double k = Math.log(2) / 2.0;
        double[] amounts = {1, 1, 0.5};
        for (int i = 0; i < days.size(); i++) {
            double t = days.get(i);
            double integral = 0;
            for (int d = 0; d < doseDays.length; d++) {
                if (t > doseDays[d]) {
                    integral += 20 * amounts[d] * (1 - Math.exp(-k * (t - doseDays[d]))) / k;
                }
            }
            double exact = K * Math.exp(Math.log(S0 / K) * Math.exp(-ALPHA * (t - beta * integral)));
            // through three doses whose effect halves every 2 days, while the tumour shrinks a hundredfold
            assertThat(sizes.get(i) / exact - 1).as("relative error at day %s", t).isCloseTo(0, within(1e-6));
        }
        assertThat(sizes.get(sizes.size() - 2)).as("treatment shrinks the tumour").isLessThan(S0);
    }

    @Test
    void nortonSimon_aSmallerTumourRegressesFasterPerUnitSize() {
        GompertzNortonSimon model = new GompertzNortonSimon(ALPHA, K, 2);
        double small = model.rate(10, 1) / 10;
        double large = model.rate(100, 1) / 100;
        assertThat(small).isNegative();
        assertThat(small).isLessThan(large);
    }

    @Test
    void exposure_addsDecayingDoses_andJumpsAtEachDose() {
        Drug drug = new Drug("testdrug", 100, "mg/m2", 1.0, 10, Set.of());
        Exposure exposure = new Exposure(List.of(new Exposure.Dose(0, drug, 1), new Exposure.Dose(1, drug, 2)));
        assertThat(exposure.at(-0.1)).isZero();
        assertThat(exposure.at(0)).isEqualTo(10.0);
        assertThat(exposure.justBefore(1)).isCloseTo(5.0, within(1e-12));
        assertThat(exposure.at(1)).isCloseTo(25.0, within(1e-12));
        assertThat(exposure.at(41.5)).as("after forty half-lives a dose is left out").isZero();
        assertThat(exposure.at(40.5)).as("the second dose, 39.5 half-lives on").isPositive();
        assertThat(exposure.jumpsBetween(0, 5)).containsExactly(1.0);
    }
}
