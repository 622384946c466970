package org.twinbridge.runtime.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.twinbridge.runtime.audit.chain.ChainEntry;
import org.twinbridge.runtime.audit.chain.ChainVerifier;
import org.twinbridge.runtime.audit.chain.Checkpoint;
import org.twinbridge.runtime.crypto.AuditSigner;

/** Reads the audit trail back: verification of the whole chain, queries, and receipt lookups. */
public final class JdbcAuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "chain_pos, recorded_at, kind, actor, subject, details, plugin_id, purpose, "
            + "outcome, receipt_id, prev_hash, entry_hash";

    private JdbcAuditLog() {
    }

    /** What {@link #verify} found: the chain report, plus the consistency of the other audit tables. */
    public record Verification(ChainVerifier.Report chain, long unchainedRows, Optional<String> unchainedNote,
            long decisionRowsChecked, long decisionRowsUnmatched, Optional<String> headNote, List<String> warnings) {

        public Verification {
            warnings = List.copyOf(warnings);
        }


        public boolean intact() {
            return chain.intact() && unchainedRows == 0 && decisionRowsUnmatched == 0 && headNote.isEmpty();
        }
    }

    /**
     * Checks every entry and every checkpoint (streaming, in chain order), that no row sits outside the chain,
     * that the head record agrees with the chain, and that every {@code decision_log} row resolves by its
     * receipt id to a matching decision entry.
     */
    public static Verification verify(Connection c, AuditSigner.Verifier keys, String nodeId) throws SQLException {
        return verify(c, keys, nodeId, Integer.MAX_VALUE);
    }

    /**
     * As {@link #verify(Connection, AuditSigner.Verifier, String)}, and warns where more than
     * {@code checkpointInterval} entries pass without a checkpoint: the node signs one at least that often, so a
     * longer stretch means checkpoints were deleted, the interval was raised, or entries were appended by a tool
     * without the signing key.
     */
    public static Verification verify(Connection c, AuditSigner.Verifier keys, String nodeId, int checkpointInterval)
            throws SQLException {
        List<Checkpoint> checkpoints = checkpoints(c);
        ChainVerifier.Report report;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_event "
                + "WHERE chain_pos IS NOT NULL ORDER BY chain_pos")) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                report = new ChainVerifier(keys, nodeId, checkpoints).verify(new Rows(rs));
            }
        }
        long unchained = 0;
        Optional<String> note = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(seq) FROM audit_event "
                + "WHERE chain_pos IS NULL"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            unchained = rs.getLong(1);
            if (unchained > 0) {
                long seq = rs.getLong(2);
                note = Optional.of("TB-AUDIT-019 " + unchained + " audit_event row(s) are not part of the chain "
                        + "(inserted outside the audit trail); the first is row seq " + seq + ", before chain "
                        + "position " + nextChained(c, seq));
            }
        }
        Optional<String> headNote = Optional.empty();
        if (report.intact()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_pos, last_hash FROM audit_head WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    headNote = Optional.of("TB-AUDIT-018 the audit_head row is missing");
                } else if (rs.getLong(1) != report.entries() || !rs.getString(2).equals(report.headHash())) {
                    headNote = Optional.of("TB-AUDIT-018 the chain ends at position " + report.entries()
                            + " but the head record says " + rs.getLong(1) + ": entries were deleted from the end "
                            + "(first missing position " + (report.entries() + 1) + ")");
                }
            }
        }
        long decisions;
        long unmatched;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), SUM(CASE WHEN a.chain_pos IS NULL "
                + "OR a.plugin_id <> d.plugin_id OR a.outcome <> d.outcome THEN 1 ELSE 0 END) FROM decision_log d "
                + "LEFT JOIN audit_event a ON a.receipt_id = d.receipt_id AND a.kind = 'decision'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            decisions = rs.getLong(1);
            unmatched = rs.getLong(2);
        }
        List<String> warnings = new ArrayList<>();
        long previous = 0;
        List<Long> positions = new ArrayList<>();
        checkpoints.forEach(cp -> positions.add(cp.position()));
        positions.add(report.entries() + 1);
        for (long position : positions) {
            if (position - previous > (long) checkpointInterval + 1 && previous < report.entries()) {
                warnings.add("TB-AUDIT-021 no signed checkpoint between positions " + (previous + 1) + " and "
                        + Math.min(position, report.entries()) + ", more than the interval of " + checkpointInterval
                        + " entries: checkpoints may have been deleted (or the interval was raised, or a tool without "
                        + "the signing key appended)");
            }
            previous = position;
        }
        return new Verification(report, unchained, note, decisions, unmatched, headNote, warnings);
    }

    private static String nextChained(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT MIN(chain_pos) FROM audit_event WHERE seq > ? AND chain_pos IS NOT NULL")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long pos = rs.getLong(1);
                return rs.wasNull() ? "(end of chain)" : Long.toString(pos);
            }
        }
    }

    /** Every checkpoint, in position order. */
    public static List<Checkpoint> checkpoints(Connection c) throws SQLException {
        List<Checkpoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT chain_pos, entry_hash, node_id, key_id, reason, "
                + "signed_at, signature FROM audit_checkpoint ORDER BY chain_pos"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Checkpoint(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7)));
            }
        }
        return out;
    }

    /** Entries matching the query, in chain order. */
    public static List<AuditRecord> query(Connection c, AuditQuery q) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE chain_pos IS NOT NULL");
        List<Object> args = new ArrayList<>();
        q.plugin().ifPresent(v -> add(where, args, "plugin_id = ?", v));
        q.patient().ifPresent(v -> add(where, args, "subject = ?", v));
        q.purpose().ifPresent(v -> add(where, args, "purpose = ?", v));
        q.outcome().ifPresent(v -> add(where, args, "outcome = ?", v));
        q.kind().ifPresent(v -> add(where, args, "kind = ?", v));
        q.receipt().ifPresent(v -> add(where, args, "receipt_id = ?", v));
        q.since().ifPresent(v -> add(where, args, "recorded_at >= ?", java.sql.Timestamp.from(v)));
        q.consent().ifPresent(v -> {
            // The decision log's consent column lists the deciding consents as "Consent/abc v3 (ehr) provision ...",
            // joined by "; ": the id is followed by " v" at the start or after a separator.
            where.append(" AND receipt_id IN (SELECT receipt_id FROM decision_log WHERE consent LIKE ? ESCAPE '!' "
                    + "OR consent LIKE ? ESCAPE '!')");
            String id = likeLiteral(v);
            args.add(id + " v%");
            args.add("%; " + id + " v%");
        });
        List<AuditRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_event" + where
                + " ORDER BY chain_pos DESC")) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            ps.setMaxRows(q.limit() == Integer.MAX_VALUE ? 0 : q.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ChainEntry e = entry(rs);
                    out.add(0, new AuditRecord(e.position(), e.recordedAt(), e.kind(), e.actor(), e.subject(),
                            details(e.details()), rs.getString(12)));
                }
            }
        }
        return out;
    }

    /** The decision entry a privacy receipt id resolves to. */
    public static Optional<AuditRecord> byReceipt(Connection c, String receiptId) throws SQLException {
        AuditQuery q = AuditQuery.all();
        List<AuditRecord> found = query(c, new AuditQuery(q.plugin(), q.patient(), q.purpose(), q.outcome(), q.since(),
                Optional.of("decision"), Optional.of(receiptId), 1));
        return found.stream().findFirst();
    }

    /** The text as a LIKE pattern that matches only itself, with '!' as the escape character. */
    static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static void add(StringBuilder where, List<Object> args, String condition, Object value) {
        where.append(" AND ").append(condition);
        args.add(value);
    }

    private static Map<String, String> details(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (java.io.IOException e) {
            return Map.of("unreadable-details", "true");
        }
    }

    private static ChainEntry entry(ResultSet rs) throws SQLException {
        // Columns edited to NULL are read as empty text: the hash check then reports the entry as altered.
        // getTimestamp, not getObject(OffsetDateTime): the SQLite driver has only the former.
        java.sql.Timestamp at = rs.getTimestamp(2);
        return new ChainEntry(rs.getLong(1), at == null ? java.time.Instant.EPOCH : at.toInstant(), nz(rs.getString(3)),
                nz(rs.getString(4)), nz(rs.getString(5)), nz(rs.getString(6)), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getString(10), nz(rs.getString(11)));
    }

    private static String nz(String text) {
        return text == null ? "" : text;
    }

    /** Streams result rows into the verifier without holding them all. */
    private static final class Rows implements Iterator<ChainVerifier.Stored> {
        private final ResultSet rs;
        private Boolean ready;

        Rows(ResultSet rs) {
            this.rs = rs;
        }

        @Override
        public boolean hasNext() {
            if (ready == null) {
                try {
                    ready = rs.next();
                } catch (SQLException e) {
                    throw new IllegalStateException("TB-AUDIT-003 cannot read the audit trail (SQLState "
                            + e.getSQLState() + ")", e);
                }
            }
            return ready;
        }

        @Override
        public ChainVerifier.Stored next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ready = null;
            try {
                return new ChainVerifier.Stored(entry(rs), String.valueOf(rs.getString(12)));
            } catch (SQLException e) {
                throw new IllegalStateException("TB-AUDIT-003 cannot read the audit trail (SQLState "
                        + e.getSQLState() + ")", e);
            }
        }
    }
}
