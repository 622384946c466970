package org.twinbridge.runtime.dispatch;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.sdk.StateStore;

/**
 * A plugin's state store on the delivery transaction's own connection, so that state writes commit or roll
 * back together with the plugin's cursor. Values are encrypted, bound to plugin, subject and key.
 */
final class JdbcStateStore implements StateStore {

    private final Connection connection;
    private final String pluginId;
    private final RecordCipher cipher;

    JdbcStateStore(Connection connection, String pluginId, RecordCipher cipher) {
        this.connection = connection;
        this.pluginId = pluginId;
        this.cipher = cipher;
    }

    @Override
    public Optional<String> get(String subject, String key) {
        check(subject, key);
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT payload FROM plugin_state WHERE plugin_id = ? AND subject = ? AND state_key = ?")) {
            ps.setString(1, pluginId);
            ps.setString(2, subject);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new String(cipher.decrypt(rs.getBytes(1), aad(subject, key)),
                        StandardCharsets.UTF_8));
            }
        } catch (SQLException e) {
            throw new StateStoreException("read", e);
        }
    }

    @Override
    public void put(String subject, String key, String value) {
        check(subject, key);
        Objects.requireNonNull(value, "value");
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("state value for key '" + key + "' is " + bytes.length
                    + " bytes; the limit is " + MAX_VALUE_BYTES);
        }
        byte[] sealed = cipher.encrypt(bytes, aad(subject, key));
        try {
            int updated;
            try (PreparedStatement ps = connection.prepareStatement(
                    "UPDATE plugin_state SET payload = ? WHERE plugin_id = ? AND subject = ? AND state_key = ?")) {
                ps.setBytes(1, sealed);
                ps.setString(2, pluginId);
                ps.setString(3, subject);
                ps.setString(4, key);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO plugin_state (plugin_id, subject, state_key, payload) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, pluginId);
                    ps.setString(2, subject);
                    ps.setString(3, key);
                    ps.setBytes(4, sealed);
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new StateStoreException("write", e);
        }
    }

    @Override
    public void delete(String subject, String key) {
        check(subject, key);
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

    private static void check(String subject, String key) {
        if (subject == null || subject.isEmpty() || subject.length() > 64) {
            throw new IllegalArgumentException("subject must be 1-64 characters");
        }
        if (key == null || key.isEmpty() || key.length() > 200) {
            throw new IllegalArgumentException("state key must be 1-200 characters");
        }
    }

    /** A database failure inside the state store; the delivery rolls back. */
    static final class StateStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StateStoreException(String operation, SQLException cause) {
            super("TB-STATE-001 state store " + operation + " failed (SQLState " + cause.getSQLState() + ")", cause);
        }
    }
}
