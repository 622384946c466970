package org.twinbridge.plugin.glucose;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TwinStateTextTest {

    private static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");

    @Test
    void encode_thenDecode_givesTheSameState() {
        TwinState state = TwinState.INITIAL
                .withModel(new OnlineArxModel.Snapshot(List.of(1.1, -0.3, -42.5, 3.75, -0.0098),
                        List.of(0.1, 0.01, 0.0, 0.0, 0.0, 0.01, 0.2, 0.0, 0.0, 0.0, 0.0, 0.0, 400.0, 0.0, 0.0,
                                0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.25e-5),
                        3.3, 57, List.of(101.0, 103.5, 104.25), Optional.of(T0)))
                .withDoses(MealsAndInsulin.NONE.withCarbs(new AbsorptionCurve.Dose(T0, 40))
                        .withInsulin(new AbsorptionCurve.Dose(T0.plusSeconds(60), 3.5)))
                .withHypoAlertActive(true).withLastMetricsAt(T0)
                .withLatestHba1c(new TwinState.Timed(7.2, T0.minusSeconds(86_400)))
                .withLatestLabGlucose(new TwinState.Timed(99.088, T0.minusSeconds(3600)));

        String text = TwinStateText.encode(state);

        assertThat(text).startsWith("glucose-twin 2\n");
        assertThat(TwinStateText.decode(text)).contains(state);
    }

    @Test
    void initialState_roundTrips() {
        assertThat(TwinStateText.decode(TwinStateText.encode(TwinState.INITIAL))).contains(TwinState.INITIAL);
    }

    @Test
    void decode_ofAnotherFormatOrDamage_isEmpty() {
        assertThat(TwinStateText.decode("news2-vitals 1\n")).isEmpty();
        assertThat(TwinStateText.decode("glucose-twin 2\ntheta 1 2\n")).isEmpty();
        assertThat(TwinStateText.decode("glucose-twin 2\nmystery 1\n")).isEmpty();
        assertThat(TwinStateText.decode("")).isEmpty();
    }

    @Test
    void decode_ofAVersionOneValue_isEmpty_soTheTwinStartsFromItsPriors() {
        String version2 = TwinStateText.encode(TwinState.INITIAL);
        String version1 = "glucose-twin 1\n" + version2.substring(version2.indexOf('\n') + 1);
        assertThat(TwinStateText.decode(version1)).isEmpty();
    }
}
