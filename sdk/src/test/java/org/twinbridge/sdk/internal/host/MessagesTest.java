package org.twinbridge.sdk.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;

class MessagesTest {

    @Test
    void batch_roundTrips_withDeliveriesErasuresAndState() throws Exception {
        Messages.Batch batch = new Messages.Batch(7, 1_700_000_000_000L, List.of(
                new Messages.Deliver("r-1", "subj-1", "vital-signs", Optional.of(42L), "sha256:p", "{\"resourceType\":\"Observation\"}"),
                new Messages.Deliver("r-2", "subj-1", "vital-signs", Optional.empty(), "sha256:p", "{}"),
                new Messages.Erase("subj-2")), Map.of("subj-1", Map.of("k", "v ü"), "subj-2", Map.of()));

        Messages.Batch back = Messages.Batch.decode(batch.encode());

        assertThat(back).isEqualTo(batch);
    }

    @Test
    void result_roundTrips_withOutputsChangesAndAFailure() throws Exception {
        Messages.Result result = new Messages.Result(7, List.of(
                new Messages.Done(List.of(new Messages.Output("s", "ALERT", "high", "{}")),
                        List.of(new Messages.Change("s", "k", Optional.of("v")), new Messages.Change("s", "k", Optional.empty()))),
                new Messages.Failed("java.lang.IllegalStateException", "PLUGIN_EXCEPTION")));

        assertThat(Messages.Result.decode(result.encode())).isEqualTo(result);
    }

    @Test
    void hello_roundTrips_theManifest() throws Exception {
        PluginManifest manifest = new PluginManifest("news2-twin", "1.0", "v", "d", new DataRequest(Set.of("Observation"),
                Set.of(CodeFilter.loinc("8867-4")), Set.of("TREAT")), List.of(OutputKind.RISK_ASSESSMENT));

        Messages.Hello hello = Messages.Hello.decode(new Messages.Hello(Wire.VERSION, manifest).encode());

        assertThat(hello.version()).isEqualTo(Wire.VERSION);
        assertThat(hello.manifest()).isEqualTo(manifest);
    }

    @Test
    void readFrame_aboveTheLimit_failsBeforeAllocating() {
        byte[] announcesAGigabyte = ByteBuffer.allocate(4).putInt(1 << 30).array();

        assertThatThrownBy(() -> Wire.readFrame(new ByteArrayInputStream(announcesAGigabyte), 1 << 20))
                .isInstanceOf(Wire.ProtocolException.class).hasMessageContaining("TB-PLUGIN-031");
    }

    @Test
    void readFrame_cutShort_isEndOfStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Wire.writeFrame(out, new byte[] {Wire.RESULT, 1, 2, 3});
        byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), 6);

        assertThatThrownBy(() -> Wire.readFrame(new ByteArrayInputStream(cut), 100)).isInstanceOf(EOFException.class);
    }

    @Test
    void decode_aListLongerThanItsFrame_isAProtocolError() {
        byte[] frame = new Wire.Writer(Wire.RESULT).i64(1).i32(Integer.MAX_VALUE).toByteArray();

        assertThatThrownBy(() -> Messages.Result.decode(frame)).isInstanceOf(Wire.ProtocolException.class);
    }

    @Test
    void decode_trailingBytes_isAProtocolError() {
        byte[] frame = new Wire.Writer(Wire.RESULT).i64(1).i32(0).u8(9).toByteArray();

        assertThatThrownBy(() -> Messages.Result.decode(frame)).isInstanceOf(Wire.ProtocolException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void decode_aFrameOfAnotherType_isAProtocolError() {
        byte[] frame = new Messages.Fatal("x").encode();

        assertThatThrownBy(() -> Messages.Result.decode(frame)).isInstanceOf(Wire.ProtocolException.class);
    }
}
