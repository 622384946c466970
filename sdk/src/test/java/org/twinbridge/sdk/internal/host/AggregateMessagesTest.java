package org.twinbridge.sdk.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.model.AggregateTable;

class AggregateMessagesTest {

    private static final AggregateTable TABLE = new AggregateTable("by regimen", List.of("a", "b"),
            List.of("PR", "PD"), List.of(List.of(3L, 0L), List.of(7L, 12L)),
            List.of(new AggregateTable.Statistic("mean change | a", 3, -12.5)), Set.of("s1", "s2", "s3"));

    @Test
    void request_roundTrips() throws Exception {
        AggregateMessages.Request request = new AggregateMessages.Request(7, List.of(
                new Messages.Deliver("r1", "s1", "vital-signs", Optional.of(1000L), "p1", "{\"resourceType\":\"Observation\"}"),
                new Messages.Deliver("r2", "s2", "laboratory", Optional.empty(), "p1", "{}")),
                Map.of("min-assessments", "2"));

        assertThat(AggregateMessages.Request.decode(request.encode())).isEqualTo(request);
    }

    @Test
    void aTable_andAFailure_roundTrip() throws Exception {
        AggregateMessages.Answer table = new AggregateMessages.Answer(3, Optional.of(TABLE), Optional.empty());
        AggregateMessages.Answer failed = new AggregateMessages.Answer(4, Optional.empty(),
                Optional.of("java.lang.IllegalStateException"));

        assertThat(AggregateMessages.Answer.decode(table.encode())).isEqualTo(table);
        assertThat(AggregateMessages.Answer.decode(failed.encode())).isEqualTo(failed);
    }

    @Test
    void aTruncatedTable_isAProtocolViolation() {
        byte[] frame = new AggregateMessages.Answer(3, Optional.of(TABLE), Optional.empty()).encode();

        assertThatThrownBy(() -> AggregateMessages.Answer.decode(Arrays.copyOf(frame, frame.length - 3)))
                .isInstanceOf(Wire.ProtocolException.class).hasMessageStartingWith("TB-PLUGIN-031");
    }

    @Test
    void aTableTheSdkWouldReject_isAProtocolViolation() {
        // duplicate row labels: encodable by a hostile child writing its own frame, refused on decoding
        Wire.Writer w = new Wire.Writer(Wire.AGGREGATE_RESULT).i64(1).u8(1).str("t");
        w.i32(2).str("x").str("x").i32(1).str("n").i64(1).i64(2).i32(0).i32(0);

        assertThatThrownBy(() -> AggregateMessages.Answer.decode(w.toByteArray()))
                .isInstanceOf(Wire.ProtocolException.class).hasMessageContaining("malformed");
    }
}
