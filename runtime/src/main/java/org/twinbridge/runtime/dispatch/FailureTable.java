package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;

/** Deliveries that threw, by exception type only. */
final class FailureTable {

    private FailureTable() {
    }

    static Object insert(Connection c, String pluginId, long journalSeq, String errorKind, Clock clock)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO delivery_failure (plugin_id, journal_seq, error_kind, failed_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, pluginId);
            ps.setLong(2, journalSeq);
            ps.setString(3, errorKind.length() <= 200 ? errorKind : errorKind.substring(0, 200));
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
        return null;
    }
}
