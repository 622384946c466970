package org.twinbridge.runtime.dispatch;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.sdk.DeliveryLimits;
import org.twinbridge.sdk.StateStore;

/**
 * A plugin's state store on the delivery transaction's own connection, so that state writes commit or roll
 * back together with the plugin's cursor. Values are encrypted with the plugin's own data key, bound to plugin,
 * subject and key; each row names the data key that encrypted it.
 */
final class JdbcStateStore implements StateStore, SubjectStates {

    private static final int SNAPSHOT_CHUNK = 100;
    private final Connection connection;
    private final String pluginId;
    private final DataKeys keys;
    private final RecordCipher cipher;

    /** @param cipher the plugin's current data key, for writes; reads use the key each row names */
    JdbcStateStore(Connection connection, String pluginId, DataKeys keys, RecordCipher cipher) {
        this.connection = connection;
        this.pluginId = pluginId;
        this.keys = keys;
        this.cipher = cipher;
    }

    @Override
    public Optional<String> get(String subject, String key) {
        DeliveryLimits.checkStateAddress(subject, key);
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT payload, key_id FROM plugin_state WHERE plugin_id = ? AND subject = ? AND state_key = ?")) {
            ps.setString(1, pluginId);
            ps.setString(2, subject);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String keyId = rs.getString(2);
                RecordCipher reader = cipher.keyId().equals(keyId) ? cipher : keys.forReading(connection, keyId);
                return Optional.of(new String(reader.decrypt(rs.getBytes(1), aad(subject, key)),
                        StandardCharsets.UTF_8));
            }
        } catch (SQLException e) {
            throw new StateStoreException("read", e);
        }
    }

    @Override
    public java.util.List<String> pluginWideSubjects() {
        java.util.List<String> subjects = new java.util.ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT DISTINCT subject FROM plugin_state "
                + "WHERE plugin_id = ? AND subject LIKE ? ESCAPE '!' ORDER BY subject")) {
            ps.setString(1, pluginId);
            ps.setString(2, pluginId.replace("!", "!!").replace("%", "!%").replace("_", "!_") + ".%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    subjects.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StateStoreException("read", e);
        }
        return subjects;
    }

    @Override
    public java.util.Map<String, String> snapshot(String subject) {
        DeliveryLimits.checkStateAddress(subject, "snapshot");
        java.util.Map<String, String> values = new java.util.TreeMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT state_key, payload, key_id FROM plugin_state WHERE plugin_id = ? AND subject = ?")) {
            ps.setString(1, pluginId);
            ps.setString(2, subject);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    String keyId = rs.getString(3);
                    RecordCipher reader = cipher.keyId().equals(keyId) ? cipher : keys.forReading(connection, keyId);
                    values.put(key, new String(reader.decrypt(rs.getBytes(2), aad(subject, key)),
                            StandardCharsets.UTF_8));
                }
            }
        } catch (SQLException e) {
            throw new StateStoreException("read", e);
        }
        return values;
    }

    /**
     * The snapshots of many subjects at once, a few queries in all: a dispatch group reads the state of all its
     * subjects before the plugin runs. A subject without state maps to an empty map.
     */
    java.util.Map<String, java.util.Map<String, String>> snapshots(java.util.Collection<String> subjects) {
        java.util.Map<String, java.util.Map<String, String>> out = new java.util.HashMap<>();
        java.util.List<String> all = new java.util.ArrayList<>(new java.util.TreeSet<>(subjects));
        all.forEach(subject -> out.put(subject, new java.util.TreeMap<>()));
        for (int from = 0; from < all.size(); from += SNAPSHOT_CHUNK) {
            java.util.List<String> chunk = all.subList(from, Math.min(all.size(), from + SNAPSHOT_CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = connection.prepareStatement("SELECT subject, state_key, payload, key_id "
                    + "FROM plugin_state WHERE plugin_id = ? AND subject IN (" + marks + ")")) {
                ps.setString(1, pluginId);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String subject = rs.getString(1);
                        String key = rs.getString(2);
                        String keyId = rs.getString(4);
                        RecordCipher reader = cipher.keyId().equals(keyId) ? cipher
                                : keys.forReading(connection, keyId);
                        out.get(subject).put(key, new String(reader.decrypt(rs.getBytes(3), aad(subject, key)),
                                StandardCharsets.UTF_8));
                    }
                }
            } catch (SQLException e) {
                throw new StateStoreException("read", e);
            }
        }
        return out;
    }

    @Override
    public void put(String subject, String key, String value) {
        DeliveryLimits.checkStateAddress(subject, key);
        byte[] bytes = DeliveryLimits.checkStateValue(key, value);
        byte[] sealed = cipher.encrypt(bytes, aad(subject, key));
        try {
            int updated;
            try (PreparedStatement ps = connection.prepareStatement(
                    "UPDATE plugin_state SET payload = ?, key_id = ? WHERE plugin_id = ? AND subject = ? "
                            + "AND state_key = ?")) {
                ps.setBytes(1, sealed);
                ps.setString(2, cipher.keyId());
                ps.setString(3, pluginId);
                ps.setString(4, subject);
                ps.setString(5, key);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO plugin_state (plugin_id, subject, state_key, payload, key_id) "
                                + "VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, pluginId);
                    ps.setString(2, subject);
                    ps.setString(3, key);
                    ps.setBytes(4, sealed);
                    ps.setString(5, cipher.keyId());
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new StateStoreException("write", e);
        }
    }

    @Override
    public void delete(String subject, String key) {
        DeliveryLimits.checkStateAddress(subject, key);
        try (PreparedStatement ps = connection.prepareStatement(
                "DELETE FROM plugin_state WHERE plugin_id = ? AND subject = ? AND state_key = ?")) {
            ps.setString(1, pluginId);
            ps.setString(2, subject);
            ps.setString(3, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateStoreException("delete", e);
        }
    }

    private String aad(String subject, String key) {
        return "state|" + pluginId + "|" + subject + "|" + key;
    }

    /** A database failure inside the state store; the delivery rolls back. */
    static final class StateStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StateStoreException(String operation, SQLException cause) {
            super("TB-STATE-001 state store " + operation + " failed (SQLState " + cause.getSQLState() + ")", cause);
        }
    }
}
