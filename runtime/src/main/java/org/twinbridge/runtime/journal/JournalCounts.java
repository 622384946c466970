package org.twinbridge.runtime.journal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.twinbridge.runtime.storage.Database;

/** Journal, held-reading and dead-letter counts per connector, from metadata columns only (no decryption, no PHI). */
public final class JournalCounts {

    /**
     * @param records      records journalled
     * @param byType       records per resource type
     * @param withUnmapped records that carry at least one unmapped source field
     * @param unlinked     records that could not be linked to a patient
     * @param held         device readings held outside the journal until their device is bound to a patient
     * @param deadLetters  source messages rejected as dead letters (each distinct payload once)
     */
    public record ConnectorCounts(long records, Map<String, Long> byType, long withUnmapped, long unlinked,
            long held, long deadLetters) {
        public ConnectorCounts {
            byType = Map.copyOf(byType);
        }

        /** Counts of journalled records only. */
        public ConnectorCounts(long records, Map<String, Long> byType, long withUnmapped, long unlinked) {
            this(records, byType, withUnmapped, unlinked, 0, 0);
        }
    }

    private JournalCounts() {
    }

    private static Map<String, Long> countBy(java.sql.Connection c, String sql) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
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
            Map<String, Long> held = countBy(c, "SELECT connector_id, COUNT(*) FROM held_record GROUP BY connector_id");
            Map<String, Long> dead = countBy(c, "SELECT connector_id, COUNT(*) FROM dead_letter GROUP BY connector_id");
            java.util.Set<String> connectors = new java.util.TreeSet<>(totals.keySet());
            connectors.addAll(held.keySet());
            connectors.addAll(dead.keySet());
            Map<String, ConnectorCounts> result = new LinkedHashMap<>();
            for (String connector : connectors) {
                long[] t = totals.getOrDefault(connector, new long[3]);
                result.put(connector, new ConnectorCounts(t[0], types.getOrDefault(connector, Map.of()), t[1], t[2],
                        held.getOrDefault(connector, 0L), dead.getOrDefault(connector, 0L)));
            }
            return result;
        });
    }
}
