package org.twinbridge.plugin.news2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VitalSignsTest {

    private static final Instant T1 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2025-03-01T11:00:00Z");

    @Test
    void with_newerReading_replacesHeld() {
        VitalSigns vitals = VitalSigns.NONE.with(pulse(70, T1)).with(pulse(120, T2));

        assertThat(vitals.pulse()).hasValue(120);
    }

    @Test
    void with_olderReading_keepsHeld() {
        VitalSigns vitals = VitalSigns.NONE.with(pulse(120, T2));

        assertThat(vitals.with(pulse(70, T1))).isSameAs(vitals);
    }

    @Test
    void with_untimedReading_replacesHeldInJournalOrder() {
        VitalSigns vitals = VitalSigns.NONE.with(pulse(120, T2))
                .with(new VitalSignReading.Measurement(Parameter.PULSE, 70, Optional.empty()));

        assertThat(vitals.pulse()).hasValue(70);
    }

    @Test
    void with_sameReadingTwice_returnsSameInstance() {
        VitalSigns vitals = VitalSigns.NONE.with(pulse(70, T1));

        assertThat(vitals.with(pulse(70, T1))).isSameAs(vitals);
    }

    @Test
    void accessors_notObserved_areEmpty() {
        assertThat(VitalSigns.NONE.respirationRate()).isEmpty();
        assertThat(VitalSigns.NONE.supplementalOxygen()).isEmpty();
        assertThat(VitalSigns.NONE.consciousness()).isEmpty();
        assertThat(VitalSigns.NONE.temperature()).isEmpty();
    }

    @Test
    void new_readingFiledUnderWrongParameter_isRejected() {
        assertThatThrownBy(() -> new VitalSigns(Map.of(Parameter.TEMPERATURE, pulse(70, T1))))
                .hasMessageContaining("TB-NEWS2-005");
    }

    @Test
    void toString_namesParametersButNoValues() {
        VitalSigns vitals = VitalSigns.NONE.with(pulse(123.4, T1))
                .with(new VitalSignReading.Level(Consciousness.VOICE, Optional.of(T1)));

        assertThat(vitals.toString()).isEqualTo("VitalSigns[PULSE, CONSCIOUSNESS]").doesNotContain("123");
        assertThat(vitals.reading(Parameter.PULSE).orElseThrow().toString()).doesNotContain("123");
        assertThat(vitals.reading(Parameter.CONSCIOUSNESS).orElseThrow().toString()).doesNotContain("VOICE");
    }

    @ParameterizedTest(name = "{0} = {1} is rejected")
    @CsvSource({"PULSE, -1", "RESPIRATION_RATE, NaN", "OXYGEN_SATURATION, 100.1", "TEMPERATURE, Infinity"})
    void measurement_outOfRange_isRejectedWithoutTheValue(Parameter parameter, double value) {
        assertThatThrownBy(() -> new VitalSignReading.Measurement(parameter, value, Optional.empty()))
                .hasMessageContaining("TB-NEWS2-002")
                .hasMessageNotContaining(String.valueOf(value));
    }

    @Test
    void measurement_ofNonNumericParameter_isRejected() {
        assertThatThrownBy(() -> new VitalSignReading.Measurement(Parameter.CONSCIOUSNESS, 1, Optional.empty()))
                .hasMessageContaining("TB-NEWS2-001");
    }

    @Test
    void measurement_negativeTemperature_isAValidCelsiusValue() {
        assertThat(VitalSignReading.Measurement.accepts(Parameter.TEMPERATURE, -1)).isTrue();
    }

    private static VitalSignReading pulse(double value, Instant at) {
        return new VitalSignReading.Measurement(Parameter.PULSE, value, Optional.of(at));
    }
}
