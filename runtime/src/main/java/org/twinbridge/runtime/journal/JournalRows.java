package org.twinbridge.runtime.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Journal rows waiting to be inserted in the append's transaction, written with multi-row {@code INSERT}s of up
 * to {@value #ROWS_PER_STATEMENT} rows: one round trip and one statement for a hundred rows instead of a hundred,
 * on SQLite and PostgreSQL alike. Rows keep their order, so journal positions follow the order of the append.
 * Not thread-safe: one per transaction.
 */
final class JournalRows {

    /** Nine parameters a row: 900 a statement, far below SQLite's and PostgreSQL's limits (32,766 and 65,535). */
    static final int ROWS_PER_STATEMENT = 100;
    private static final String INSERT = "INSERT INTO journal (record_id, connector_id, patient_key, resource_type, "
            + "category, unmapped_count, key_id, payload, journalled_at) VALUES ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** One journal row, its payload sealed already. */
    record Row(String recordId, String connectorId, String patientKey, String resourceType, String category,
            int unmappedCount, String keyId, byte[] payload, Timestamp journalledAt) {
    }

    private final List<Row> pending = new ArrayList<>();

    void add(Row row) {
        pending.add(row);
    }

    /** Inserts every pending row, in order, in the caller's transaction. */
    void flush(Connection c) throws SQLException {
        for (int from = 0; from < pending.size(); from += ROWS_PER_STATEMENT) {
            List<Row> chunk = pending.subList(from, Math.min(pending.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder(INSERT.length() + chunk.size() * (ROW.length() + 2)).append(INSERT);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(ROW);
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (Row row : chunk) {
                    ps.setString(p++, row.recordId());
                    ps.setString(p++, row.connectorId());
                    ps.setString(p++, row.patientKey());
                    ps.setString(p++, row.resourceType());
                    ps.setString(p++, row.category());
                    ps.setInt(p++, row.unmappedCount());
                    ps.setString(p++, row.keyId());
                    ps.setBytes(p++, row.payload());
                    ps.setTimestamp(p++, row.journalledAt());
                }
                ps.executeUpdate();
            }
        }
        pending.clear();
    }
}
