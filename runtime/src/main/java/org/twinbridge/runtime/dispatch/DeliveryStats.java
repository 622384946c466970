package org.twinbridge.runtime.dispatch;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.twinbridge.runtime.storage.Database;

/** Per-plugin delivery counters and output counts, read from the committed tables. */
public final class DeliveryStats {

    /** One plugin's counters. {@code position} is the journal seq its cursor has reached. */
    public record PluginCounters(String pluginId, long position, long delivered, long denied, long notRequested,
            long failed, Map<String, Long> outputsByKind) {
        public PluginCounters {
            outputsByKind = Map.copyOf(outputsByKind);
        }

        public long outputs() {
            return outputsByKind.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private DeliveryStats() {
    }

    /** The journal position of the last record delivered to the plugin, if any. */
    public static java.util.Optional<Long> lastDelivered(Database db, String pluginId) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(journal_seq) FROM decision_log "
                    + "WHERE plugin_id = ? AND outcome = 'PERMIT'")) {
                ps.setString(1, pluginId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long seq = rs.getLong(1);
                    return rs.wasNull() ? java.util.Optional.<Long>empty() : java.util.Optional.of(seq);
                }
            }
        });
    }

    public static Map<String, PluginCounters> read(Database db) throws SQLException {
        return db.inTransaction(c -> {
            Map<String, Map<String, Long>> outputs = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT plugin_id, kind, COUNT(*) FROM twin_output GROUP BY plugin_id, kind ORDER BY plugin_id, kind");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    outputs.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
            Map<String, PluginCounters> result = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT plugin_id, seq, delivered, denied, not_requested, "
                    + "failed FROM plugin_cursor ORDER BY plugin_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    result.put(id, new PluginCounters(id, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), outputs.getOrDefault(id, Map.of())));
                }
            }
            return result;
        });
    }
}
