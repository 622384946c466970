package org.twinbridge.runtime.dispatch;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyOwner;
import org.twinbridge.runtime.storage.Database;

/** Reads a plugin's whole state store back, decrypted, as the plugin would see it: for tests. */
public final class PluginStates {

    private PluginStates() {
    }

    /** State key to value, over all subjects (keys are assumed unique across subjects). */
    public static Map<String, String> read(Database db, DataKeys keys, String pluginId) throws SQLException {
        return db.inTransaction(c -> {
            JdbcStateStore store = new JdbcStateStore(c, pluginId, keys, keys.forWriting(c, KeyOwner.plugin(pluginId)));
            Map<String, String> values = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT subject, state_key FROM plugin_state WHERE plugin_id = ? ORDER BY subject, state_key")) {
                ps.setString(1, pluginId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String subject = rs.getString(1);
                        String key = rs.getString(2);
                        values.merge(key, store.get(subject, key).orElseThrow(), (a, b) -> a + "+" + b);
                    }
                }
            }
            return values;
        });
    }
}
