package org.twinbridge.runtime.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The {@code sink_cursor} and {@code sink_rejection} rows of one sink: where it is, and how its retries stand. */
public final class SinkCursor {

    private SinkCursor() {
    }

    /**
     * Where a sink stands.
     *
     * @param outputSeq     the last output handled (delivered, skipped by filter, or rejected)
     * @param attempts      failed attempts at the next output so far
     * @param nextAttemptAt when the next attempt is due; empty when not waiting
     * @param lastError     the last failure's status or exception type
     */
    public record Position(long outputSeq, long delivered, long skipped, long rejected, int attempts,
            Optional<Instant> nextAttemptAt, Optional<String> lastError) {
    }

    /**
     * Creates the cursor if missing. A new sink starts after the outputs that exist now, so adding a sink to a node
     * with history does not replay it (the operator can reset the cursor to replay).
     */
    static void ensure(Connection c, String sinkId, Instant now) throws SQLException {
        if (read(c, sinkId).isPresent()) {
            return;
        }
        long head;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM twin_output");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            head = rs.getLong(1);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sink_cursor (sink_id, output_seq, delivered, "
                + "skipped, rejected, attempts, updated_at) VALUES (?, ?, 0, 0, 0, 0, ?)")) {
            ps.setString(1, sinkId);
            ps.setLong(2, head);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    public static Optional<Position> read(Connection c, String sinkId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT output_seq, delivered, skipped, rejected, attempts, "
                + "next_attempt_at, last_error FROM sink_cursor WHERE sink_id = ?")) {
            ps.setString(1, sinkId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp next = rs.getTimestamp(6);
                return Optional.of(new Position(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getInt(5), Optional.ofNullable(next).map(Timestamp::toInstant),
                        Optional.ofNullable(rs.getString(7))));
            }
        }
    }

    /** Every sink's position, by sink id. */
    public static Map<String, Position> all(Connection c) throws SQLException {
        Map<String, Position> all = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT sink_id FROM sink_cursor ORDER BY sink_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                all.put(rs.getString(1), null);
            }
        }
        for (String id : all.keySet()) {
            all.put(id, read(c, id).orElseThrow());
        }
        return all;
    }

    /** How an output was handled. */
    enum Handled { DELIVERED, SKIPPED, REJECTED }

    static void advance(Connection c, String sinkId, long outputSeq, Handled handled, Instant now)
            throws SQLException {
        String counter = switch (handled) {
            case DELIVERED -> "delivered";
            case SKIPPED -> "skipped";
            case REJECTED -> "rejected";
        };
        try (PreparedStatement ps = c.prepareStatement("UPDATE sink_cursor SET output_seq = ?, " + counter + " = "
                + counter + " + 1, attempts = 0, next_attempt_at = NULL, last_error = NULL, updated_at = ? "
                + "WHERE sink_id = ?")) {
            ps.setLong(1, outputSeq);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, sinkId);
            ps.executeUpdate();
        }
    }

    static void failed(Connection c, String sinkId, int attempts, Instant nextAttemptAt, String error, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sink_cursor SET attempts = ?, next_attempt_at = ?, "
                + "last_error = ?, updated_at = ? WHERE sink_id = ?")) {
            ps.setInt(1, attempts);
            ps.setTimestamp(2, Timestamp.from(nextAttemptAt));
            ps.setString(3, error.length() > 200 ? error.substring(0, 200) : error);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setString(5, sinkId);
            ps.executeUpdate();
        }
    }

    static void reject(Connection c, String sinkId, long outputSeq, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sink_rejection (sink_id, output_seq, reason, "
                + "rejected_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, sinkId);
            ps.setLong(2, outputSeq);
            ps.setString(3, reason.length() > 200 ? reason.substring(0, 200) : reason);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.executeUpdate();
        }
    }
}
