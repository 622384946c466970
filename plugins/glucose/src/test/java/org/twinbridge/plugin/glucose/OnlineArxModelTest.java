package org.twinbridge.plugin.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnlineArxModelTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final Duration STEP = OnlineArxModel.STEP;

    @Test
    void freshModel_isNotReady_untilItHasLearnedFromAnHour() {
        OnlineArxModel model = OnlineArxModel.fresh();
        for (int i = 0; i < 3 + OnlineArxModel.MIN_UPDATES - 1; i++) {
            model.observe(T0.plus(STEP.multipliedBy(i)), 100, MealsAndInsulin.NONE);
        }
        assertThat(model.ready()).isFalse();
        assertThat(model.forecast(12, MealsAndInsulin.NONE)).isEmpty();

        model.observe(T0.plus(STEP.multipliedBy(3 + OnlineArxModel.MIN_UPDATES - 1)), 100, MealsAndInsulin.NONE);
        assertThat(model.ready()).isTrue();
    }

    @Test
    void onAFlatSeries_theForecastIsPersistence_withAWideningInterval() {
        OnlineArxModel model = OnlineArxModel.fresh();
        for (int i = 0; i < 30; i++) {
            model.observe(T0.plus(STEP.multipliedBy(i)), 100, MealsAndInsulin.NONE);
        }
        OnlineArxModel.Forecast forecast = model.forecast(12, MealsAndInsulin.NONE).orElseThrow();

        assertThat(forecast.path()).hasSize(12).allSatisfy(v -> assertThat(v).isCloseTo(100, within(1e-9)));
        assertThat(forecast.sd()).isSortedAccordingTo(Double::compare);
        assertThat(forecast.sdAt(60)).isGreaterThan(forecast.sdAt(30));
        assertThat(forecast.from()).isEqualTo(T0.plus(STEP.multipliedBy(29)));
        assertThat(forecast.persistence()).isFalse();
    }

    @Test
    void onASyntheticAr2Series_itRecoversTheCoefficients() {
        // d(t) = 1.2 d(t-1) - 0.5 d(t-2) + e(t), e ~ N(0, 1)
        Random random = new Random(7);
        OnlineArxModel model = OnlineArxModel.fresh();
        double level = 120;
        double d1 = 0;
        double d2 = 0;
        for (int i = 0; i < 3000; i++) {
            double d = 1.2 * d1 - 0.5 * d2 + random.nextGaussian();
            level += d;
            d2 = d1;
            d1 = d;
            model.observe(T0.plus(STEP.multipliedBy(i)), level, MealsAndInsulin.NONE);
        }
        List<Double> theta = model.parameters();

        assertThat(theta.get(0)).isCloseTo(1.2, within(0.1));
        assertThat(theta.get(1)).isCloseTo(-0.5, within(0.1));
        assertThat(theta.get(2)).as("no insulin seen: the prior stays").isEqualTo(OnlineArxModel.PRIOR_INSULIN);
        assertThat(theta.get(3)).as("no meals seen: the prior stays").isEqualTo(OnlineArxModel.PRIOR_CARBS);
        assertThat(model.snapshot().noiseVariance()).isCloseTo(1.0, within(0.35));
    }

    @Test
    void withMealsAndInsulin_itLearnsThePatientsOwnEffects_andForecastsAMealsRise() {
        // d(t) = 0.6 d(t-1) + 6 C(t) - 60 I(t) + e(t): 6 mg/dL per gram of carbohydrate and 60 mg/dL per unit of
        // insulin (the population prior says 4 and 40); meals with a bolus, snacks and correction doses at random
        // times, so that the two effects can be told apart
        Random random = new Random(11);
        OnlineArxModel model = OnlineArxModel.fresh();
        MealsAndInsulin doses = MealsAndInsulin.NONE;
        double level = 120;
        double d1 = 0;
        Instant at = T0;
        for (int i = 0; i < 3000; i++) {
            if (random.nextInt(50) == 0) {
                double grams = 20 + 60 * random.nextDouble();
                doses = doses.withCarbs(new AbsorptionCurve.Dose(at, grams))
                        .withInsulin(new AbsorptionCurve.Dose(at, grams / 10));
            }
            if (random.nextInt(80) == 0) {
                doses = doses.withCarbs(new AbsorptionCurve.Dose(at, 10 + 10 * random.nextDouble()));
            }
            if (random.nextInt(80) == 0) {
                doses = doses.withInsulin(new AbsorptionCurve.Dose(at, 1 + random.nextDouble()));
            }
            doses = doses.forgetBefore(at);
            Instant next = at.plus(STEP);
            double d = 0.6 * d1 + 6 * doses.carbsActing(at, next) - 60 * doses.insulinActing(at, next)
                    + random.nextGaussian();
            level += d;
            d1 = d;
            at = next;
            model.observe(at, level, doses);
        }
        List<Double> theta = model.parameters();
        assertThat(theta.get(0)).isCloseTo(0.6, within(0.1));
        assertThat(theta.get(1)).isCloseTo(0, within(0.1));
        assertThat(theta.get(2)).isCloseTo(-60, within(10.0));
        assertThat(theta.get(3)).isCloseTo(6, within(1.0));

        OnlineArxModel flat = flatModel(120);
        OnlineArxModel.Snapshot learned = flat.snapshot();
        OnlineArxModel patient = OnlineArxModel.of(new OnlineArxModel.Snapshot(theta, learned.covariance(),
                learned.noiseVariance(), learned.updates(), learned.levels(), learned.lastTime()));
        Instant now = patient.lastTime().orElseThrow();
        double withMeal = patient.forecast(12, MealsAndInsulin.NONE.withCarbs(new AbsorptionCurve.Dose(now, 30)))
                .orElseThrow().at(60);
        assertThat(withMeal - 120).isGreaterThan(50);
    }

    @Test
    void insulin_withThePopulationPrior_lowersTheForecast() {
        OnlineArxModel model = flatModel(150);
        Instant last = model.lastTime().orElseThrow();
        MealsAndInsulin bolus = MealsAndInsulin.NONE.withInsulin(new AbsorptionCurve.Dose(last, 4));

        double withInsulin = model.forecast(12, bolus).orElseThrow().at(60);
        // 4 U x 40 mg/dL per U x the share of a 60-minute-peak curve acting in the first hour (1 - 2/e)
        assertThat(withInsulin).isCloseTo(150 - 4 * 40 * (1 - 2 / Math.E), within(1e-6));
    }

    @Test
    void observe_placesReadingsOnTheFiveMinuteGrid() {
        OnlineArxModel model = OnlineArxModel.fresh();
        assertThat(model.observe(T0, 100, MealsAndInsulin.NONE)).isEqualTo(OnlineArxModel.Step.RESTARTED);
        assertThat(model.observe(T0.plusSeconds(100), 100, MealsAndInsulin.NONE))
                .as("under half a step later").isEqualTo(OnlineArxModel.Step.IGNORED);
        assertThat(model.observe(T0.plusSeconds(301), 102, MealsAndInsulin.NONE))
                .isEqualTo(OnlineArxModel.Step.RECORDED);
        assertThat(model.observe(T0.plusSeconds(301 + 900), 108, MealsAndInsulin.NONE))
                .as("15 minutes: two steps filled").isEqualTo(OnlineArxModel.Step.FILLED_GAP);
        assertThat(model.snapshot().levels()).containsExactly(102.0, 104.0, 106.0, 108.0);
        assertThat(model.observe(T0.plusSeconds(301 + 900 + 300), 109, MealsAndInsulin.NONE))
                .isEqualTo(OnlineArxModel.Step.LEARNED);
        assertThat(model.observe(T0.plus(Duration.ofHours(2)), 90, MealsAndInsulin.NONE))
                .as("more than 30 minutes: history starts again").isEqualTo(OnlineArxModel.Step.RESTARTED);
        assertThat(model.snapshot().levels()).containsExactly(90.0);
        assertThat(model.snapshot().updates()).as("what was learned is kept").isEqualTo(1);
    }

    @Test
    void snapshot_restoresAModelThatForecastsIdentically() {
        OnlineArxModel model = OnlineArxModel.fresh();
        List<CgmSeries.Reading> series = CgmSeries.dexcom().subList(0, 200);
        series.forEach(r -> model.observe(r.at(), r.mgPerDl(), MealsAndInsulin.NONE));

        TwinState state = TwinState.INITIAL.withModel(model.snapshot());
        TwinState restored = TwinStateText.decode(TwinStateText.encode(state)).orElseThrow();

        assertThat(restored).isEqualTo(state);
        assertThat(OnlineArxModel.of(restored.model()).forecast(12, MealsAndInsulin.NONE))
                .isEqualTo(model.forecast(12, MealsAndInsulin.NONE));
    }

    @ParameterizedTest(name = "a1={0} a2={1} stationary={2}")
    @CsvSource({"1.4, -0.59, true", "0, 0, true", "-1.2, -0.3, true", "1.0, 0.1, false", "0.5, 1.0, false",
            "-1.5, 0.6, false", "0.9, -0.99, true"})
    void stationarity_isTheAr2Triangle(double a1, double a2, boolean stationary) {
        assertThat(OnlineArxModel.stationary(a1, a2)).isEqualTo(stationary);
    }

    @ParameterizedTest
    @CsvSource({"1.37, -0.55, -0.0098, true", "0, 0, -0.1, true", "0, 0, 0, false", "0, 0, 0.01, false",
            "0, 0, -2.5, false", "0.6, 0, -0.02, true", "1.4, -0.59, 0.001, false"})
    void stableWithReturn_isJurysTestOnTheLevelRecursion(double a1, double a2, double c, boolean stable) {
        assertThat(OnlineArxModel.stable(a1, a2, c)).isEqualTo(stable);
    }

    @Test
    void withAReferenceLevel_itLearnsTheReturnRate_andForecastsTheWayBack() {
        // d(t) = 0.5 d(t-1) - 0.02 (g(t-1) - 120) + e(t): glucose wanders and is pulled back to 120 mg/dL.
        Random random = new Random(7);
        OnlineArxModel model = OnlineArxModel.fresh();
        OptionalDouble usual = OptionalDouble.of(120);
        double level = 120;
        double d1 = 0;
        for (int i = 0; i < 5000; i++) {
            double d = 0.5 * d1 - 0.02 * (level - 120) + 2 * random.nextGaussian();
            level += d;
            d1 = d;
            model.observe(T0.plus(STEP.multipliedBy(i)), level, MealsAndInsulin.NONE, usual);
        }
        assertThat(model.parameters().get(0)).isCloseTo(0.5, within(0.1));
        assertThat(model.parameters().get(4)).isCloseTo(-0.02, within(0.01));

        // The same patient, found flat far above their usual level.
        OnlineArxModel.Snapshot learned = model.snapshot();
        OnlineArxModel atTwoHundred = OnlineArxModel.of(new OnlineArxModel.Snapshot(learned.theta(),
                learned.covariance(), learned.noiseVariance(), learned.updates(), List.of(200.0, 200.0, 200.0),
                learned.lastTime()));
        double withReturn = atTwoHundred.forecast(12, MealsAndInsulin.NONE, usual).orElseThrow().at(60);
        double withoutReturn = atTwoHundred.forecast(12, MealsAndInsulin.NONE).orElseThrow().at(60);
        assertThat(withoutReturn).isEqualTo(200.0);
        assertThat(withReturn).isLessThan(180).isGreaterThan(120);
    }

    @Test
    void forecast_withARunawayTrend_fallsBackToPersistence() {
        OnlineArxModel model = flatModel(120);
        OnlineArxModel.Snapshot s = model.snapshot();
        OnlineArxModel runaway = OnlineArxModel.of(new OnlineArxModel.Snapshot(List.of(1.5, 0.2, -40.0, 4.0, 0.0),
                s.covariance(), s.noiseVariance(), s.updates(), List.of(100.0, 110.0, 120.0), s.lastTime()));

        OnlineArxModel.Forecast forecast = runaway.forecast(12, MealsAndInsulin.NONE).orElseThrow();
        assertThat(forecast.persistence()).isTrue();
        assertThat(forecast.path()).allSatisfy(v -> assertThat(v).isEqualTo(120.0));
    }

    @Test
    void forecast_readsOnlyWholeStepsWithinItsPath() {
        OnlineArxModel.Forecast forecast = flatModel(100).forecast(6, MealsAndInsulin.NONE).orElseThrow();
        assertThat(forecast.at(30)).isEqualTo(100.0);
        assertThatThrownBy(() -> forecast.at(60)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("up to 30");
        assertThatThrownBy(() -> forecast.at(7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstBelow_findsTheFirstStepUnderTheThreshold() {
        OnlineArxModel.Forecast forecast = new OnlineArxModel.Forecast(T0, List.of(90.0, 80.0, 72.0, 69.0, 65.0, 60.0),
                List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0), false);
        assertThat(forecast.firstBelow(70, 30)).contains(20);
        assertThat(forecast.firstBelow(70, 15)).isEmpty();
        assertThat(forecast.lowestWithin(30)).isEqualTo(60.0);
    }

    private static OnlineArxModel flatModel(double mgPerDl) {
        OnlineArxModel model = OnlineArxModel.fresh();
        for (int i = 0; i < 20; i++) {
            model.observe(T0.plus(STEP.multipliedBy(i)), mgPerDl, MealsAndInsulin.NONE);
        }
        return model;
    }
}
