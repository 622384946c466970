package org.twinbridge.plugin.news2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The RCP NEWS2 (2017) chart, band boundary by band boundary, and the aggregate and band rules. */
class News2ScoreTest {

    @ParameterizedTest(name = "respiration rate {0} scores {1}")
    @CsvSource({
        "0, 3", "8, 3", "9, 1", "11, 1", "12, 0", "20, 0", "21, 2", "24, 2", "25, 3", "60, 3",
        // decimals chart as the nearest whole number, half up
        "8.4, 3", "8.5, 1", "11.4, 1", "11.5, 0", "20.4, 0", "20.5, 2", "24.4, 2", "24.5, 3"})
    void score_respirationRate_matchesChart(double perMinute, int expected) {
        assertThat(News2Score.respirationRate(perMinute)).isEqualTo(expected);
    }

    @Test
    void score_respirationRate8_scores3() {
        assertThat(News2Score.respirationRate(8)).isEqualTo(3);
    }

    @ParameterizedTest(name = "SpO2 scale 1: {0}% scores {1}")
    @CsvSource({
        "0, 3", "91, 3", "92, 2", "93, 2", "94, 1", "95, 1", "96, 0", "100, 0",
        "91.4, 3", "91.5, 2", "93.5, 1", "95.5, 0"})
    void score_oxygenSaturationScale1_matchesChart(double percent, int expected) {
        assertThat(News2Score.oxygenSaturationScale1(percent)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "SpO2 scale 2: {0}% on oxygen={1} scores {2}")
    @CsvSource({
        // the lower bands are the same on air and on oxygen
        "0, false, 3", "83, false, 3", "84, false, 2", "85, false, 2", "86, false, 1", "87, false, 1",
        "88, false, 0", "92, false, 0",
        "0, true, 3", "83, true, 3", "84, true, 2", "85, true, 2", "86, true, 1", "87, true, 1",
        "88, true, 0", "92, true, 0",
        // 93 and above: nothing on air, rising scores on oxygen
        "93, false, 0", "97, false, 0", "100, false, 0",
        "93, true, 1", "94, true, 1", "95, true, 2", "96, true, 2", "97, true, 3", "100, true, 3",
        "83.5, false, 2", "92.5, true, 1", "96.5, true, 3"})
    void score_oxygenSaturationScale2_matchesChart(double percent, boolean onOxygen, int expected) {
        assertThat(News2Score.oxygenSaturationScale2(percent, onOxygen)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "on oxygen={0} scores {1}")
    @CsvSource({"false, 0", "true, 2"})
    void score_airOrOxygen_matchesChart(boolean onOxygen, int expected) {
        assertThat(News2Score.airOrOxygen(onOxygen)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "systolic {0} mmHg scores {1}")
    @CsvSource({
        "0, 3", "90, 3", "91, 2", "100, 2", "101, 1", "110, 1", "111, 0", "219, 0", "220, 3", "300, 3",
        "90.4, 3", "90.5, 2", "110.5, 0", "219.5, 3"})
    void score_systolicBloodPressure_matchesChart(double mmHg, int expected) {
        assertThat(News2Score.systolicBloodPressure(mmHg)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "pulse {0}/min scores {1}")
    @CsvSource({
        "0, 3", "40, 3", "41, 1", "50, 1", "51, 0", "90, 0", "91, 1", "110, 1", "111, 2", "130, 2", "131, 3",
        "250, 3", "40.4, 3", "40.5, 1", "90.4, 0", "90.5, 1", "130.5, 3"})
    void score_pulse_matchesChart(double perMinute, int expected) {
        assertThat(News2Score.pulse(perMinute)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "consciousness {0} scores {1}")
    @CsvSource({"ALERT, 0", "CONFUSION, 3", "VOICE, 3", "PAIN, 3", "UNRESPONSIVE, 3"})
    void score_consciousness_matchesChart(Consciousness level, int expected) {
        assertThat(News2Score.consciousness(level)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "temperature {0} °C scores {1}")
    @CsvSource({
        "30.0, 3", "35.0, 3", "35.1, 1", "36.0, 1", "36.1, 0", "38.0, 0", "38.1, 1", "39.0, 1", "39.1, 2",
        "42.0, 2",
        // decimals chart to one place, half up
        "35.04, 3", "35.05, 1", "36.04, 1", "36.05, 0", "38.04, 0", "38.05, 1", "39.04, 1", "39.05, 2"})
    void score_temperature_matchesChart(double celsius, int expected) {
        assertThat(News2Score.temperature(celsius)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void score_nonFiniteValue_isRejected(double value) {
        assertThatThrownBy(() -> News2Score.pulse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TB-NEWS2-002");
        assertThatThrownBy(() -> News2Score.temperature(value)).hasMessageContaining("TB-NEWS2-002");
    }

    @Test
    void of_allNormalAndComplete_scores0Low() {
        News2Score score = News2Score.of(Vitals.normal().with(Vitals.level(Consciousness.ALERT)), SpO2Scale.SCALE_1);

        assertThat(score.total()).isZero();
        assertThat(score.band()).isEqualTo(RiskBand.LOW);
        assertThat(score.complete()).isTrue();
        assertThat(score.missing()).isEmpty();
        assertThat(score.parameterScores()).hasSize(7);
    }

    @Test
    void of_singleParameterScoring3_isLowMedium() {
        News2Score score = News2Score.of(Vitals.normal().with(Vitals.measure(Parameter.RESPIRATION_RATE, 8)),
                SpO2Scale.SCALE_1);

        assertThat(score.total()).isEqualTo(3);
        assertThat(score.band()).isEqualTo(RiskBand.LOW_MEDIUM);
    }

    @Test
    void of_total4WithoutAny3_isLow() {
        VitalSigns vitals = Vitals.normal()
                .with(Vitals.measure(Parameter.RESPIRATION_RATE, 22)) // 2
                .with(Vitals.measure(Parameter.PULSE, 95)) // 1
                .with(Vitals.measure(Parameter.TEMPERATURE, 38.5)); // 1

        News2Score score = News2Score.of(vitals, SpO2Scale.SCALE_1);

        assertThat(score.total()).isEqualTo(4);
        assertThat(score.band()).isEqualTo(RiskBand.LOW);
    }

    @Test
    void of_total5_isMedium_evenWithA3() {
        VitalSigns vitals = Vitals.normal()
                .with(Vitals.measure(Parameter.RESPIRATION_RATE, 25)) // 3
                .with(Vitals.oxygen(true)); // 2

        News2Score score = News2Score.of(vitals, SpO2Scale.SCALE_1);

        assertThat(score.total()).isEqualTo(5);
        assertThat(score.band()).isEqualTo(RiskBand.MEDIUM);
    }

    @Test
    void of_total7_isHigh() {
        VitalSigns vitals = Vitals.normal()
                .with(Vitals.measure(Parameter.OXYGEN_SATURATION, 91)) // 3
                .with(Vitals.oxygen(true)) // 2
                .with(Vitals.measure(Parameter.SYSTOLIC_BLOOD_PRESSURE, 95)); // 2

        assertThat(News2Score.of(vitals, SpO2Scale.SCALE_1).band()).isEqualTo(RiskBand.HIGH);
    }

    @Test
    void of_consciousnessNotObserved_isMissingNotAssumedAlert() {
        News2Score score = News2Score.of(Vitals.normal(), SpO2Scale.SCALE_1);

        assertThat(score.missing()).containsExactly(Parameter.CONSCIOUSNESS);
        assertThat(score.complete()).isFalse();
        assertThat(score.parameterScores()).doesNotContainKey(Parameter.CONSCIOUSNESS);
    }

    @Test
    void of_noOxygenObservation_assumesAir() {
        News2Score score = News2Score.of(Vitals.normal(), SpO2Scale.SCALE_1);

        assertThat(score.airAssumed()).isTrue();
        assertThat(score.parameterScores()).containsEntry(Parameter.AIR_OR_OXYGEN, 0);
        assertThat(score.missing()).doesNotContain(Parameter.AIR_OR_OXYGEN);
    }

    @Test
    void of_nothingObserved_scoresOverWhatIsPresent() {
        News2Score score = News2Score.of(VitalSigns.NONE, SpO2Scale.SCALE_1);

        assertThat(score.total()).isZero();
        assertThat(score.missing()).hasSize(6).doesNotContain(Parameter.AIR_OR_OXYGEN);
    }

    @Test
    void of_scale2OnOxygen_scoresHighSaturation() {
        VitalSigns vitals = Vitals.normal()
                .with(Vitals.measure(Parameter.OXYGEN_SATURATION, 97))
                .with(Vitals.oxygen(true));

        assertThat(News2Score.of(vitals, SpO2Scale.SCALE_2).parameterScores())
                .containsEntry(Parameter.OXYGEN_SATURATION, 3)
                .containsEntry(Parameter.AIR_OR_OXYGEN, 2);
        assertThat(News2Score.of(vitals, SpO2Scale.SCALE_1).parameterScores())
                .containsEntry(Parameter.OXYGEN_SATURATION, 0);
    }

    @ParameterizedTest(name = "total {0}, highest parameter {1} -> {2}")
    @CsvSource({
        "0, 0, LOW", "1, 1, LOW", "4, 2, LOW", "3, 3, LOW_MEDIUM", "4, 3, LOW_MEDIUM",
        "5, 2, MEDIUM", "5, 3, MEDIUM", "6, 3, MEDIUM", "7, 2, HIGH", "7, 3, HIGH", "20, 3, HIGH"})
    void band_ofTotalAndHighestParameter_matchesChart(int total, int highest, RiskBand expected) {
        assertThat(RiskBand.of(total, highest)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "total {0}, highest parameter {1} is impossible")
    @CsvSource({"-1, 0", "2, 3", "5, 4", "5, -1"})
    void band_impossibleCombination_isRejected(int total, int highest) {
        assertThatThrownBy(() -> RiskBand.of(total, highest)).hasMessageContaining("TB-NEWS2-003");
    }

    @ParameterizedTest
    @EnumSource(RiskBand.class)
    void band_code_roundTrips(RiskBand band) {
        assertThat(RiskBand.fromCode(band.code())).isEqualTo(band);
    }

    @Test
    void band_codes_areTheQualitativeNames() {
        assertThat(RiskBand.values()).extracting(RiskBand::code)
                .containsExactly("low", "low-medium", "medium", "high");
    }

    @Test
    void new_totalNotMatchingParameterScores_isRejected() {
        Map<Parameter, Integer> scores = new EnumMap<>(Parameter.class);
        for (Parameter parameter : Parameter.values()) {
            scores.put(parameter, 0);
        }

        assertThatThrownBy(() -> new News2Score(1, RiskBand.LOW, scores, Set.of(), false, SpO2Scale.SCALE_1))
                .hasMessageContaining("TB-NEWS2-007");
    }

    @Test
    void new_parameterBothScoredAndMissing_isRejected() {
        Map<Parameter, Integer> scores = new EnumMap<>(Parameter.class);
        for (Parameter parameter : Parameter.values()) {
            scores.put(parameter, 0);
        }

        assertThatThrownBy(() -> new News2Score(0, RiskBand.LOW, scores, Set.of(Parameter.PULSE), false,
                SpO2Scale.SCALE_1)).hasMessageContaining("TB-NEWS2-008");
    }

    /** Readings for tests, without effective times. */
    static final class Vitals {
        private Vitals() {
        }

        /** Five normal values scoring 0, on the parameters the twin needs; no oxygen or consciousness reading. */
        static VitalSigns normal() {
            return VitalSigns.NONE
                    .with(measure(Parameter.RESPIRATION_RATE, 16))
                    .with(measure(Parameter.OXYGEN_SATURATION, 98))
                    .with(measure(Parameter.SYSTOLIC_BLOOD_PRESSURE, 120))
                    .with(measure(Parameter.PULSE, 70))
                    .with(measure(Parameter.TEMPERATURE, 37.0));
        }

        static VitalSignReading measure(Parameter parameter, double value) {
            return new VitalSignReading.Measurement(parameter, value, Optional.empty());
        }

        static VitalSignReading oxygen(boolean supplemental) {
            return new VitalSignReading.OxygenSupply(supplemental, Optional.empty());
        }

        static VitalSignReading level(Consciousness level) {
            return new VitalSignReading.Level(level, Optional.empty());
        }
    }
}
