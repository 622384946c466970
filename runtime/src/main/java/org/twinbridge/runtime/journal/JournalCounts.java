package org.twinbridge.runtime.journal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.twinbridge.runtime.storage.Database;

/** Journal counts per connector, from metadata columns only (no decryption, no PHI). */
public final class JournalCounts {

    /**
     * @param records      records journalled
     * @param byType       records per resource type
     * @param withUnmapped records that carry at least one unmapped source field
     * @param unlinked     records that could not be linked to a patient
     */
    public record ConnectorCounts(long records, Map<String, Long> byType, long withUnmapped, long unlinked) {
        public ConnectorCounts {
            byType = Map.copyOf(byType);
        }
    }

    private JournalCounts() {
    }

    public static Map<String, ConnectorCounts> read(Database db) throws SQLException {
        return db.inTransaction(c -> {
            Map<String, Map<String, Long>> types = new TreeMap<>();
            Map<String, long[]> totals = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT connector_id, resource_type, COUNT(*), "
                    + "SUM(CASE WHEN unmapped_count > 0 THEN 1 ELSE 0 END), "
                    + "SUM(CASE WHEN patient_key IS NULL THEN 1 ELSE 0 END) "
                    + "FROM journal GROUP BY connector_id, resource_type");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String connector = rs.getString(1);
                    types.computeIfAbsent(connector, k -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                    long[] t = totals.computeIfAbsent(connector, k -> new long[3]);
                    t[0] += rs.getLong(3);
                    t[1] += rs.getLong(4);
                    t[2] += rs.getLong(5);
                }
            }
            Map<String, ConnectorCounts> result = new LinkedHashMap<>();
            totals.forEach((connector, t) ->
                    result.put(connector, new ConnectorCounts(t[0], types.get(connector), t[1], t[2])));
            return result;
        });
    }
}
