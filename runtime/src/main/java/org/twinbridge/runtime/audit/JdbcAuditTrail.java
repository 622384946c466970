package org.twinbridge.runtime.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.twinbridge.runtime.audit.chain.CanonicalJson;
import org.twinbridge.runtime.audit.chain.ChainEntry;
import org.twinbridge.runtime.audit.chain.Checkpoint;
import org.twinbridge.runtime.crypto.AuditSigner;

/**
 * The audit trail as one hash chain in the {@code audit_event} table, with Ed25519-signed checkpoints in
 * {@code audit_checkpoint}.
 *
 * <p>Each append runs in the caller's transaction and commits or rolls back with it. It first locks the
 * single {@code audit_head} row, so appends from every thread and every process are serialised: positions have
 * no gaps, each entry links to the one committed before it, and the lock is held until the caller commits.
 * Callers therefore append last, just before they commit (the dispatcher does), to keep that window short.
 *
 * <p>With a {@link CheckpointPolicy} the trail also signs a checkpoint, in the same transaction, whenever
 * {@code interval} entries have been appended since the last one, and {@link #checkpoint} signs one on
 * demand (the node does at shutdown). Without one (tools that hold no signing key) entries are chained but
 * not signed; the node's next append then signs them.
 *
 * <p>Field limits: kind 64, actor 200, subject 64 characters; each detail value is cut to 2000 characters and
 * the details as JSON may not exceed 16000. Thread-safe.
 */
public final class JdbcAuditTrail implements AuditTrail {

    /** The details keys copied into query columns. */
    public static final String PLUGIN = "plugin";
    public static final String PURPOSE = "purpose";
    public static final String OUTCOME = "outcome";
    public static final String RECEIPT = "receipt";
    private static final int MAX_DETAILS_JSON = 16_000;

    private final Clock clock;
    private final Optional<CheckpointPolicy> checkpoints;

    /**
     * Signs a checkpoint every {@code interval} entries with the node's audit-signing key.
     *
     * @param nodeId recorded in each checkpoint and checked by {@code audit verify}
     */
    public record CheckpointPolicy(String nodeId, AuditSigner signer, int interval) {
        public CheckpointPolicy {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(signer, "signer");
            if (interval < 1) {
                throw new IllegalArgumentException("checkpoint interval must be at least 1");
            }
        }
    }

    /**
     * @param checkpoints how to sign checkpoints; empty for a trail that chains entries but signs none (for tools
     *                    without the audit-signing key)
     */
    public JdbcAuditTrail(Clock clock, Optional<CheckpointPolicy> checkpoints) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    }

    /** A trail that chains entries and signs checkpoints. */
    public static JdbcAuditTrail signing(Clock clock, CheckpointPolicy checkpoints) {
        return new JdbcAuditTrail(clock, Optional.of(checkpoints));
    }

    /** A trail that chains entries but signs no checkpoints. */
    public static JdbcAuditTrail chainOnly(Clock clock) {
        return new JdbcAuditTrail(clock, Optional.empty());
    }

    @Override
    public void record(Connection c, AuditEvent event) throws SQLException {
        append(c, event);
    }

    /** Appends the events in order under one lock of the head, with one batched insert. */
    @Override
    public void recordAll(Connection c, List<AuditEvent> events) throws SQLException {
        appendAll(c, events);
    }

    /** Appends the event and returns its chain position. */
    public long append(Connection c, AuditEvent event) throws SQLException {
        return appendAll(c, List.of(event));
    }

    /**
     * Appends the events in order and returns the last one's chain position. The head is locked and updated once
     * and the rows go in one batch, which is what makes a dispatch group's decisions cheap to chain; positions,
     * hashes and checkpoints are exactly those of appending the events one by one.
     */
    public long appendAll(Connection c, List<AuditEvent> events) throws SQLException {
        // Checked before the lock, so an oversized event fails without having touched the chain.
        List<String> detailsJson = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            detailsJson.add(detailsJson(event));
        }
        Head head = lockHead(c);
        if (events.isEmpty()) {
            return head.lastPos;
        }
        long position = head.lastPos;
        String hash = head.lastHash;
        long checkpointPos = head.checkpointPos;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (kind, actor, subject, details, "
                + "recorded_at, chain_pos, plugin_id, purpose, outcome, receipt_id, prev_hash, entry_hash) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < events.size(); i++) {
                position++;
                ChainEntry entry = chainEntry(events.get(i), detailsJson.get(i), position, hash);
                hash = entry.hash();
                bind(ps, entry, hash);
                ps.addBatch();
                if (checkpoints.isPresent() && position - checkpointPos >= checkpoints.get().interval()) {
                    ps.executeBatch();
                    sign(c, position, hash, "interval");
                    checkpointPos = position;
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE audit_head SET last_pos = ?, last_hash = ? WHERE id = 1")) {
            ps.setLong(1, position);
            ps.setString(2, hash);
            ps.executeUpdate();
        }
        return position;
    }

    private static String detailsJson(AuditEvent event) {
        Map<String, String> details = new TreeMap<>();
        event.details().forEach((k, v) -> details.put(k, clip(v, 2000)));
        String json = CanonicalJson.object(details);
        if (json.length() > MAX_DETAILS_JSON) {
            throw new IllegalArgumentException("TB-AUDIT-002 audit event '" + event.kind() + "' has "
                    + json.length() + " characters of details; the limit is " + MAX_DETAILS_JSON);
        }
        return json;
    }

    private ChainEntry chainEntry(AuditEvent event, String detailsJson, long position, String prevHash) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Map<String, String> details = event.details();
        return new ChainEntry(position, at, clip(event.kind(), 64), clip(event.actor(), 200),
                clip(event.subject(), 64), detailsJson, clipOrNull(details.get(PLUGIN), 64),
                clipOrNull(details.get(PURPOSE), 32), clipOrNull(details.get(OUTCOME), 16),
                clipOrNull(details.get(RECEIPT), 64), prevHash);
    }

    private static void bind(PreparedStatement ps, ChainEntry entry, String hash) throws SQLException {
        ps.setString(1, entry.kind());
        ps.setString(2, entry.actor());
        ps.setString(3, entry.subject());
        ps.setString(4, entry.details());
        ps.setTimestamp(5, java.sql.Timestamp.from(entry.recordedAt()));
        ps.setLong(6, entry.position());
        ps.setString(7, entry.plugin());
        ps.setString(8, entry.purpose());
        ps.setString(9, entry.outcome());
        ps.setString(10, entry.receipt());
        ps.setString(11, entry.prevHash());
        ps.setString(12, hash);
    }

    /**
     * Signs a checkpoint at the current head unless one is already there (the node calls this at shutdown).
     *
     * @return the position signed, empty if there was nothing new to sign or this trail has no signing key
     */
    public Optional<Long> checkpoint(Connection c, String reason) throws SQLException {
        if (checkpoints.isEmpty()) {
            return Optional.empty();
        }
        Head head = lockHead(c);
        if (head.lastPos == 0 || head.checkpointPos >= head.lastPos) {
            return Optional.empty();
        }
        sign(c, head.lastPos, head.lastHash, reason);
        return Optional.of(head.lastPos);
    }

    private void sign(Connection c, long position, String hash, String reason) throws SQLException {
        CheckpointPolicy policy = checkpoints.orElseThrow();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String keyId = policy.signer().keyId();
        byte[] signature = policy.signer().sign(Checkpoint.signedBytes(position, hash, policy.nodeId(), keyId, reason,
                at));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoint (chain_pos, entry_hash, node_id, "
                + "key_id, reason, signed_at, signature) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, position);
            ps.setString(2, hash);
            ps.setString(3, policy.nodeId());
            ps.setString(4, keyId);
            ps.setString(5, reason);
            ps.setTimestamp(6, java.sql.Timestamp.from(at));
            ps.setString(7, Base64.getEncoder().encodeToString(signature));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET checkpoint_pos = ? WHERE id = 1")) {
            ps.setLong(1, position);
            ps.executeUpdate();
        }
    }

    private record Head(long lastPos, String lastHash, long checkpointPos) {
    }

    /**
     * Locks the head row with a no-op update (a row lock on PostgreSQL, held to commit; on SQLite the writer lock already serialises transactions), then reads it:
     * in READ COMMITTED the read sees whatever the previous holder committed.
     */
    private static Head lockHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET last_pos = last_pos WHERE id = 1")) {
            if (ps.executeUpdate() != 1) {
                throw new SQLException("TB-AUDIT-001 the audit_head row is missing; the audit trail cannot append "
                        + "(was the table edited?)");
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_pos, last_hash, checkpoint_pos FROM audit_head WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Head(rs.getLong(1), rs.getString(2), rs.getLong(3));
        }
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static String clipOrNull(String text, int max) {
        return text == null ? null : clip(text, max);
    }

    @Override
    public String toString() {
        return "JdbcAuditTrail[" + checkpoints.map(p -> "checkpoint every " + p.interval() + " by "
                + p.signer().keyId()).orElse("unsigned") + "]";
    }
}
