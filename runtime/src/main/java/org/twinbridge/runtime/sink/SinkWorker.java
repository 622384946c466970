package org.twinbridge.runtime.sink;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.twinbridge.connector.support.Backoff;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.dispatch.OutputTable;
import org.twinbridge.runtime.storage.Database;

/**
 * Moves one sink's cursor over the stored plugin outputs: filters, re-identifies where allowed, delivers, and
 * commits the cursor move with an audit entry only after the receiver accepted. A transient failure leaves the
 * cursor where it is and schedules the next attempt with exponential backoff (stored, so a restart keeps both the
 * place and the wait); a permanent refusal is recorded in {@code sink_rejection} and audited, and the sink moves
 * on. Outputs are therefore delivered in order, at least once, each under its stable output id.
 *
 * <p>Re-identification happens here and nowhere else, and only when the sink's purpose is TREAT <em>and</em> the
 * producing plugin acts for TREAT; every other sink gets the output exactly as the plugin wrote it, about the
 * plugin's subject pseudonym. A log sink never re-identifies. Not thread-safe: one worker per sink, one thread.
 */
public final class SinkWorker {

    /** The identifier system under which outputs carry their id, so receivers can dedupe. */
    public static final String OUTPUT_ID_SYSTEM = "urn:twinbridge:output";
    private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);
    private static final int BATCH = 50;
    private final NodeConfig.Sink config;
    private final Sink sink;
    private final String nodeId;
    private final Database db;
    private final DataKeys keys;
    private final Reidentifier reidentifier;
    private final Map<String, String> pluginPurposes;
    private final AuditTrail audit;
    private final Clock clock;
    private final FhirContext fhir = FhirContext.forR4Cached();

    SinkWorker(NodeConfig.Sink config, Sink sink, String nodeId, Database db, DataKeys keys,
            Reidentifier reidentifier, Map<String, String> pluginPurposes, AuditTrail audit, Clock clock) {
        this.config = config;
        this.sink = sink;
        this.nodeId = nodeId;
        this.db = db;
        this.keys = keys;
        this.reidentifier = reidentifier;
        this.pluginPurposes = Map.copyOf(pluginPurposes);
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Creates the sink's cursor if it has none yet, placing it after the outputs that exist now. Called at node
     * start, before any delivery, so that a new sink sees every output of this run and replays no history.
     */
    void place() throws SQLException {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            SinkCursor.ensure(c, config.id(), now);
            return null;
        });
    }

    public String sinkId() {
        return config.id();
    }

    /**
     * Delivers what is due: up to one batch of outputs, stopping at the first transient failure.
     *
     * @return how many outputs were handled (delivered, skipped or rejected)
     */
    public int deliverDue() throws SQLException {
        Instant now = clock.instant();
        SinkCursor.Position position = db.inTransaction(c -> {
            SinkCursor.ensure(c, config.id(), now);
            return SinkCursor.read(c, config.id()).orElseThrow();
        });
        if (position.nextAttemptAt().isPresent() && now.isBefore(position.nextAttemptAt().get())) {
            return 0;
        }
        int handled = 0;
        int attempts = position.attempts();
        for (Stored output : db.inTransaction(c -> readAfter(c, position.outputSeq()))) {
            if (!config.plugins().isEmpty() && !config.plugins().contains(output.pluginId())
                    || !config.kinds().isEmpty() && !config.kinds().contains(output.kind())) {
                db.inTransaction(c -> {
                    SinkCursor.advance(c, config.id(), output.seq(), SinkCursor.Handled.SKIPPED, clock.instant());
                    return null;
                });
                handled++;
                continue;
            }
            Optional<SinkMessage> message = db.inTransaction(c -> prepare(c, output));
            if (message.isEmpty()) {
                finish(output, SinkCursor.Handled.REJECTED, "patient cannot be re-identified (erased or unknown)",
                        false, attempts);
                handled++;
                continue;
            }
            try {
                sink.deliver(message.get());
            } catch (SinkException e) {
                if (e.permanent()) {
                    finish(output, SinkCursor.Handled.REJECTED, e.getMessage(), message.get().reidentified(),
                            attempts + 1);
                    handled++;
                    continue;
                }
                retryLater(output, attempts + 1, e.getMessage());
                return handled;
            }
            finish(output, SinkCursor.Handled.DELIVERED, null, message.get().reidentified(), attempts + 1);
            attempts = 0;
            handled++;
        }
        return handled;
    }

    private void retryLater(Stored output, int attempts, String reason) throws SQLException {
        Duration delay = backoff(attempts);
        Instant now = clock.instant();
        db.inTransaction(c -> {
            SinkCursor.failed(c, config.id(), attempts, now.plus(delay), reason, now);
            return null;
        });
        LOG.warn("TB-SINK-001 sink {} could not deliver output {} ({}), attempt {}; retrying in {} ms", config.id(),
                outputId(output.seq()), reason, attempts, delay.toMillis());
    }

    /** The delay before attempt {@code attempts + 1}: the configured backoff, doubled per failure, capped. */
    Duration backoff(int attempts) {
        // A first delay above the cap is the cap, as the configuration does not forbid it.
        Duration first = config.backoff().compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : config.backoff();
        return Backoff.doubling(first, config.maxBackoff()).after(attempts);
    }

    private void finish(Stored output, SinkCursor.Handled handled, String reason, boolean reidentified,
            int attempts) throws SQLException {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            if (handled == SinkCursor.Handled.REJECTED) {
                SinkCursor.reject(c, config.id(), output.seq(), reason, now);
            }
            SinkCursor.advance(c, config.id(), output.seq(), handled, now);
            Map<String, String> details = new java.util.TreeMap<>(Map.of("sink", config.id(), "sink_type",
                    config.type(), "purpose", config.purpose(), "plugin", output.pluginId(), "output",
                    outputId(output.seq()), "kind", output.kind(), "reidentified", Boolean.toString(reidentified),
                    "attempts", Integer.toString(attempts)));
            if (reason != null) {
                details.put("reason", reason);
            }
            audit.record(c, new AuditEvent(handled == SinkCursor.Handled.DELIVERED ? "sink.deliver" : "sink.reject",
                    "node", output.subject(), details));
            return null;
        });
        if (handled == SinkCursor.Handled.REJECTED) {
            LOG.warn("TB-SINK-003 sink {} refused output {} for good ({}); recorded in sink_rejection, moving on",
                    config.id(), outputId(output.seq()), reason);
        }
    }

    /** The message for one output; empty when it must be re-identified and cannot be. */
    private Optional<SinkMessage> prepare(Connection c, Stored output) throws SQLException {
        String id = outputId(output.seq());
        Resource resource = output.resource().copy();
        resource.setId(id);
        addOutputIdentifier(resource, id);
        boolean reidentify = config.treatment() && !config.type().equals("log")
                && "TREAT".equals(pluginPurposes.get(output.pluginId()));
        if (reidentify) {
            Optional<Reference> patient = reidentifier.patientOf(c, output.receiptId());
            if (patient.isEmpty()) {
                return Optional.empty();
            }
            String pseudonymous = "Patient/" + output.subject();
            for (Reference ref : fhir.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                if (pseudonymous.equals(ref.getReference())) {
                    ref.setReference(patient.get().getReference());
                    ref.setIdentifier(patient.get().hasIdentifier() ? patient.get().getIdentifier().copy() : null);
                }
            }
        }
        return Optional.of(new SinkMessage(id, output.pluginId(), output.kind(), output.summary(), resource,
                reidentify));
    }

    private static void addOutputIdentifier(Resource resource, String id) {
        var property = resource.getNamedProperty("identifier");
        if (property != null) {
            resource.setProperty("identifier", new Identifier().setSystem(OUTPUT_ID_SYSTEM).setValue(id));
        }
    }

    /** The output's id on this node: the idempotency key receivers dedupe by. */
    String outputId(long seq) {
        return nodeId + "-output-" + seq;
    }

    private List<Stored> readAfter(Connection c, long afterSeq) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, plugin_id, subject, kind, summary, receipt_id, "
                + "payload, key_id FROM twin_output WHERE seq > ? ORDER BY seq")) {
            ps.setLong(1, afterSeq);
            ps.setMaxRows(BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] json = keys.forReading(c, rs.getString(8)).decrypt(rs.getBytes(7),
                            OutputTable.aad(rs.getString(2), rs.getString(6)));
                    Resource resource = (Resource) fhir.newJsonParser()
                            .parseResource(new String(json, StandardCharsets.UTF_8));
                    out.add(new Stored(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), resource));
                }
            }
        }
        return out;
    }

    /** One stored output; {@link #toString()} omits the resource. */
    private record Stored(long seq, String pluginId, String subject, String kind, String summary, String receiptId,
            Resource resource) {
        @Override
        public String toString() {
            return "Stored[" + seq + ", " + pluginId + ", " + kind + "]";
        }
    }

    /** Closes the sink's connection. */
    public void close() {
        sink.close();
    }
}
