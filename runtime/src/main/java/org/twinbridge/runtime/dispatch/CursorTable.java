package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import org.twinbridge.runtime.storage.Database;

/** The per-plugin delivery cursor and its counters. */
final class CursorTable {

    private CursorTable() {
    }

    static void ensure(Database db, String pluginId, Clock clock) throws SQLException {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM plugin_cursor WHERE plugin_id = ?")) {
                ps.setString(1, pluginId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO plugin_cursor (plugin_id, seq, delivered, "
                    + "denied, not_requested, failed, updated_at) VALUES (?, 0, 0, 0, 0, 0, ?)")) {
                ps.setString(1, pluginId);
                ps.setTimestamp(2, Timestamp.from(clock.instant()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    static long position(Connection c, String pluginId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM plugin_cursor WHERE plugin_id = ?")) {
            ps.setString(1, pluginId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    /**
     * Moves the cursor to {@code seq} and counts the outcome. The {@code seq < ?} guard makes a stale or
     * concurrent second delivery of the same record fail instead of counting twice.
     */
    static Object advance(Connection c, String pluginId, long seq, Dispatcher.Outcome outcome, Clock clock)
            throws SQLException {
        String counter = switch (outcome) {
            case DELIVERED -> "delivered";
            case DENIED -> "denied";
            case NOT_REQUESTED -> "not_requested";
            case FAILED -> "failed";
        };
        try (PreparedStatement ps = c.prepareStatement("UPDATE plugin_cursor SET seq = ?, " + counter + " = "
                + counter + " + 1, updated_at = ? WHERE plugin_id = ? AND seq < ?")) {
            ps.setLong(1, seq);
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setString(3, pluginId);
            ps.setLong(4, seq);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("TB-DISPATCH-002 cursor of plugin " + pluginId
                        + " already passed journal record " + seq + "; delivery rolled back", "40001");
            }
        }
        return null;
    }
}
