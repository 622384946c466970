package org.twinbridge.runtime.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each plugin's dead-letter list: journal records the plugin failed on in every attempt, parked so that its
 * cursor could move on. Rows hold references and reasons only; the record stays in the journal, encrypted. A
 * parked row is resolved once, by a replay that delivered it or by a drop; the {@code status = 'PARKED'} guard
 * makes a second, concurrent resolution of the same row fail instead of delivering twice.
 */
public final class ParkedDeliveries {

    /** Where a parked delivery stands. */
    public enum Status { PARKED, REPLAYED, DROPPED }

    /**
     * One parked delivery, metadata only.
     *
     * @param id         the row's id, which {@code deadletter replay|drop} take
     * @param journalSeq the journal record the plugin failed on
     * @param attempts   how many deliveries were tried, including failed replays
     */
    public record Parked(long id, String pluginId, long journalSeq, DeliveryFailure failure, int attempts,
            Status status, Instant parkedAt, Optional<Instant> resolvedAt) {
    }

    private static final String COLUMNS = "seq, plugin_id, journal_seq, error_kind, failure_kind, attempts, status, "
            + "parked_at, resolved_at";

    private ParkedDeliveries() {
    }

    /** Parks a record for a plugin, or (after a failed replay) parks it again with the new reason. */
    public static void park(Connection c, String pluginId, long journalSeq, DeliveryFailure failure, int attempts,
            Clock clock) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE parked_delivery SET error_kind = ?, "
                + "failure_kind = ?, attempts = attempts + ?, status = 'PARKED', parked_at = ?, resolved_at = NULL "
                + "WHERE plugin_id = ? AND journal_seq = ?")) {
            update.setString(1, failure.errorKind());
            update.setString(2, failure.kind().name());
            update.setInt(3, attempts);
            update.setTimestamp(4, Timestamp.from(clock.instant()));
            update.setString(5, pluginId);
            update.setLong(6, journalSeq);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO parked_delivery (plugin_id, journal_seq, "
                + "error_kind, failure_kind, attempts, status, parked_at) VALUES (?, ?, ?, ?, ?, 'PARKED', ?)")) {
            insert.setString(1, pluginId);
            insert.setLong(2, journalSeq);
            insert.setString(3, failure.errorKind());
            insert.setString(4, failure.kind().name());
            insert.setInt(5, attempts);
            insert.setTimestamp(6, Timestamp.from(clock.instant()));
            insert.executeUpdate();
        }
    }

    /**
     * Marks a parked row resolved.
     *
     * @return false if the row is not (or no longer) parked: someone else resolved it first
     */
    public static boolean resolve(Connection c, long id, Status to, Clock clock) throws SQLException {
        if (to == Status.PARKED) {
            throw new IllegalArgumentException("resolve to REPLAYED or DROPPED");
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE parked_delivery SET status = ?, resolved_at = ? "
                + "WHERE seq = ? AND status = 'PARKED'")) {
            ps.setString(1, to.name());
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Drops a parked row: this plugin gives up on the record (which stays in the journal).
     *
     * @return false if the row is not (or no longer) parked
     */
    public static boolean drop(Connection c, long id, Clock clock) throws SQLException {
        return resolve(c, id, Status.DROPPED, clock);
    }

    /** One row by id. */
    public static Optional<Parked> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM parked_delivery WHERE seq = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Rows in id order, at most {@code limit}.
     *
     * @param pluginId only this plugin's rows, or all plugins'
     * @param status   only rows in this status, or all
     */
    public static List<Parked> list(Connection c, Optional<String> pluginId, Optional<Status> status, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM parked_delivery WHERE 1 = 1");
        pluginId.ifPresent(p -> sql.append(" AND plugin_id = ?"));
        status.ifPresent(s -> sql.append(" AND status = ?"));
        sql.append(" ORDER BY seq");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (pluginId.isPresent()) {
                ps.setString(i++, pluginId.get());
            }
            if (status.isPresent()) {
                ps.setString(i, status.get().name());
            }
            ps.setMaxRows(limit);
            List<Parked> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        }
    }

    private static Parked read(ResultSet rs) throws SQLException {
        Timestamp resolved = rs.getTimestamp(9);
        return new Parked(rs.getLong(1), rs.getString(2), rs.getLong(3),
                new DeliveryFailure(rs.getString(4), DeliveryFailure.Kind.valueOf(rs.getString(5))), rs.getInt(6),
                Status.valueOf(rs.getString(7)), rs.getTimestamp(8).toInstant(),
                Optional.ofNullable(resolved).map(Timestamp::toInstant));
    }
}
