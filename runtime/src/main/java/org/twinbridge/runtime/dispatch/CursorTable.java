package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;

/** The per-plugin delivery cursor and its counters. */
final class CursorTable {

    private CursorTable() {
    }

    /** Creates the plugin's cursor, at the journal's start, in the caller's transaction if it has none yet. */
    static void ensure(Connection c, String pluginId, Clock clock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM plugin_cursor WHERE plugin_id = ?")) {
            ps.setString(1, pluginId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO plugin_cursor (plugin_id, seq, delivered, "
                + "denied, not_requested, failed, updated_at) VALUES (?, 0, 0, 0, 0, 0, ?)")) {
            ps.setString(1, pluginId);
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
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
     * A dispatch group's cursor move: the records it passed, with each one's outcome, written as one update just
     * before the group commits. Record it only once a record's work is final (its savepoint released, or the
     * record parked), since a record rolled back to its savepoint must not be counted.
     */
    static final class Move implements CursorMove {
        private final String pluginId;
        private final int[] counts = new int[Dispatcher.Outcome.values().length];
        private long first = -1;
        private long last = -1;

        Move(String pluginId) {
            this.pluginId = pluginId;
        }

        @Override
        public void passed(long seq, Dispatcher.Outcome outcome) {
            if (first < 0) {
                first = seq;
            }
            last = seq;
            counts[outcome.ordinal()]++;
        }

        /**
         * Moves the cursor to the last record passed and adds the counts. The {@code seq < first} guard makes a
         * stale or concurrent second dispatch of the same records fail (and roll back) instead of counting twice.
         */
        @Override
        public void apply(Connection c, Clock clock) throws SQLException {
            if (first < 0) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE plugin_cursor SET seq = ?, "
                    + "delivered = delivered + ?, denied = denied + ?, not_requested = not_requested + ?, "
                    + "failed = failed + ?, updated_at = ? WHERE plugin_id = ? AND seq < ?")) {
                ps.setLong(1, last);
                ps.setInt(2, counts[Dispatcher.Outcome.DELIVERED.ordinal()]);
                ps.setInt(3, counts[Dispatcher.Outcome.DENIED.ordinal()]);
                ps.setInt(4, counts[Dispatcher.Outcome.NOT_REQUESTED.ordinal()]);
                ps.setInt(5, counts[Dispatcher.Outcome.FAILED.ordinal()]);
                ps.setTimestamp(6, Timestamp.from(clock.instant()));
                ps.setString(7, pluginId);
                ps.setLong(8, first);
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("TB-DISPATCH-002 cursor of plugin " + pluginId
                            + " already passed journal record " + first + "; delivery rolled back", "40001");
                }
            }
        }
    }
}
