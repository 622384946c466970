package org.twinbridge.plugin.tumour;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TumourStateTextTest {

    private static final Instant T = Instant.parse("2025-01-06T09:00:00Z");

    @Test
    void encode_thenDecode_givesTheSameState() {
        TumourState state = TumourState.EMPTY.with(new TumourState.Measured(T, "right upper lobe", 21.5))
                .with(new TumourState.Measured(T.plusSeconds(5), "http://snomed.info/sct|10200004", 30))
                .with(new TumourState.Given(T.plusSeconds(86_400), "docetaxel", 75)).projectedFrom("abc-2");

        assertThat(TumourStateText.decode(TumourStateText.encode(state))).contains(state);
    }

    @Test
    void entries_areKeptInTimeOrder_andBounded() {
        TumourState state = TumourState.EMPTY;
        for (int i = TumourState.MAX_ENTRIES + 10; i > 0; i--) {
            state = state.with(new TumourState.Measured(T.plusSeconds(i), "-", i));
        }
        assertThat(state.measurements()).hasSize(TumourState.MAX_ENTRIES);
        assertThat(state.measurements().get(0).at()).isEqualTo(T.plusSeconds(11));
    }

    @Test
    void decode_ofAnotherFormatOrDamage_isEmpty() {
        assertThat(TumourStateText.decode("glucose-twin 1\n")).isEmpty();
        assertThat(TumourStateText.decode("tumour-twin 1\nm yesterday 3 -\n")).isEmpty();
        assertThat(TumourStateText.decode("tumour-twin 1\nz\n")).isEmpty();
    }
}
