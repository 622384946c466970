package org.twinbridge.runtime.node;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.sdk.connector.Checkpoints;

/** A connector's checkpoints in the node database; each write commits before it returns. */
final class JdbcCheckpoints implements Checkpoints {

    private final Database db;
    private final String connectorId;
    private final Clock clock;

    JdbcCheckpoints(Database db, String connectorId, Clock clock) {
        this.db = db;
        this.connectorId = connectorId;
        this.clock = clock;
    }

    @Override
    public Optional<String> get(String name) {
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT checkpoint FROM connector_checkpoint WHERE connector_id = ? AND name = ?")) {
                    ps.setString(1, connectorId);
                    ps.setString(2, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("TB-STORE-001 cannot read checkpoint of connector " + connectorId, e);
        }
    }

    @Override
    public synchronized void put(String name, String value) {
        try {
            db.inTransaction(c -> {
                int updated;
                try (PreparedStatement ps = c.prepareStatement("UPDATE connector_checkpoint SET checkpoint = ?, "
                        + "updated_at = ? WHERE connector_id = ? AND name = ?")) {
                    ps.setString(1, value);
                    ps.setTimestamp(2, Timestamp.from(clock.instant()));
                    ps.setString(3, connectorId);
                    ps.setString(4, name);
                    updated = ps.executeUpdate();
                }
                if (updated == 0) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO connector_checkpoint (connector_id, "
                            + "name, checkpoint, updated_at) VALUES (?, ?, ?, ?)")) {
                        ps.setString(1, connectorId);
                        ps.setString(2, name);
                        ps.setString(3, value);
                        ps.setTimestamp(4, Timestamp.from(clock.instant()));
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("TB-STORE-002 cannot write checkpoint of connector " + connectorId, e);
        }
    }
}
