package org.twinbridge.tools.bench;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * The benchmark's twin: asks for Observations, Conditions and MedicationRequests, and keeps the smallest real
 * twin state, a per-subject count of records seen, in its state store (read, then written, in the delivery's
 * transaction, like the example twins). A probe, when given, is told of each record as it arrives.
 */
final class RecorderTwin implements TwinModel {

    private final PluginManifest manifest;
    private final AtomicLong received = new AtomicLong();
    private final Consumer<AuthorisedRecord> probe;

    RecorderTwin(String id, Consumer<AuthorisedRecord> probe) {
        this.manifest = new PluginManifest(id, "1.0.0", "TwinBridge benchmark", "Counts the records it receives.",
                new DataRequest(BenchRecords.TYPES, Set.of(), Set.of("TREAT")), List.of(OutputKind.OBSERVATION));
        this.probe = probe;
    }

    RecorderTwin(String id) {
        this(id, record -> { });
    }

    @Override
    public PluginManifest manifest() {
        return manifest;
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        probe.accept(record);
        long seen = context.state().get(record.subject(), "seen").map(Long::parseLong).orElse(0L);
        context.state().put(record.subject(), "seen", Long.toString(seen + 1));
        received.incrementAndGet();
    }

    @Override
    public void onErase(String subject, TwinContext context) {
        // All state is in the state store, which the node erases itself.
    }

    Consumer<AuthorisedRecord> probe() {
        return probe;
    }

    long received() {
        return received.get();
    }
}
