package org.twinbridge.plugin.news2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateFormatTest {

    private static final Instant T1 = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void vitals_roundTrip_keepsEveryReadingAndTime() {
        VitalSigns vitals = VitalSigns.NONE
                .with(new VitalSignReading.Measurement(Parameter.RESPIRATION_RATE, 18, Optional.of(T1)))
                .with(new VitalSignReading.Measurement(Parameter.OXYGEN_SATURATION, 95.5, Optional.empty()))
                .with(new VitalSignReading.OxygenSupply(true, Optional.of(T1)))
                .with(new VitalSignReading.Measurement(Parameter.SYSTOLIC_BLOOD_PRESSURE, 101, Optional.of(T1)))
                .with(new VitalSignReading.Measurement(Parameter.PULSE, 91, Optional.of(T1)))
                .with(new VitalSignReading.Level(Consciousness.CONFUSION, Optional.of(T1)))
                .with(new VitalSignReading.Measurement(Parameter.TEMPERATURE, 38.15, Optional.of(T1)));

        assertThat(StateFormat.decodeVitals(StateFormat.encode(vitals))).isEqualTo(vitals);
    }

    @Test
    void vitals_encoded_isOneLinePerParameterUnderAHeader() {
        VitalSigns vitals = VitalSigns.NONE
                .with(new VitalSignReading.OxygenSupply(false, Optional.empty()))
                .with(new VitalSignReading.Measurement(Parameter.PULSE, 72, Optional.of(T1)));

        assertThat(StateFormat.encode(vitals))
                .isEqualTo("news2-vitals 1\nAIR_OR_OXYGEN air -\nPULSE 72.0 2025-03-01T10:00:00Z\n");
    }

    @Test
    void vitals_unreadableLines_areSkipped() {
        String text = "news2-vitals 1\n"
                + "PULSE 72.0 2025-03-01T10:00:00Z\n"
                + "PULSE_OX 97 -\n" // unknown parameter
                + "TEMPERATURE warm -\n" // not a number
                + "RESPIRATION_RATE 14.0 yesterday\n" // not a time
                + "CONSCIOUSNESS DROWSY -\n" // not an ACVPU level
                + "AIR_OR_OXYGEN maybe -\n"
                + "OXYGEN_SATURATION 101.0 -\n" // out of range
                + "SYSTOLIC_BLOOD_PRESSURE 120.0\n"; // a field short

        VitalSigns vitals = StateFormat.decodeVitals(text);

        assertThat(vitals.latest()).containsOnlyKeys(Parameter.PULSE);
    }

    @Test
    void vitals_otherFormatVersion_decodesAsNothing() {
        assertThat(StateFormat.decodeVitals("news2-vitals 2\nPULSE 72.0 -\n")).isEqualTo(VitalSigns.NONE);
        assertThat(StateFormat.decodeVitals("")).isEqualTo(VitalSigns.NONE);
    }

    @Test
    void history_roundTrip_keepsOrder() {
        ScoreHistory history = ScoreHistory.EMPTY
                .append(new ScoreHistory.Entry(T1, 2, RiskBand.LOW))
                .append(new ScoreHistory.Entry(T1.plusSeconds(60), 3, RiskBand.LOW_MEDIUM));

        String text = StateFormat.encode(history);

        assertThat(text).isEqualTo("news2-scores 1\n2025-03-01T10:00:00Z 2 low\n2025-03-01T10:01:00Z 3 low-medium\n");
        assertThat(StateFormat.decodeHistory(text)).isEqualTo(history);
    }

    @Test
    void history_unreadableLines_areSkipped() {
        String text = "news2-scores 1\n2025-03-01T10:00:00Z 2 low\nsoon 3 low\n2025-03-01T10:00:00Z -1 low\n"
                + "2025-03-01T10:00:00Z 4 moderate\n";

        assertThat(StateFormat.decodeHistory(text).entries()).hasSize(1);
    }
}
