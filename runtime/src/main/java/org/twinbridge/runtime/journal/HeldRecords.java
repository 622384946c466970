package org.twinbridge.runtime.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Device readings held until their device is bound to a patient: encrypted exactly as journal entries are (same
 * key, the record id as associated data), so releasing one moves its ciphertext unchanged. Runs in the caller's
 * transaction.
 */
final class HeldRecords {

    private HeldRecords() {
    }

    static void hold(Connection c, CanonicalRecord record, String recordId, String category, String keyId,
            byte[] encrypted, List<String> deviceHashes, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO held_record (record_id, connector_id, "
                + "resource_type, category, unmapped_count, key_id, payload, held_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, recordId);
            ps.setString(2, record.connectorId());
            ps.setString(3, record.resource().fhirType());
            ps.setString(4, category);
            ps.setInt(5, record.unmapped().size());
            ps.setString(6, keyId);
            ps.setBytes(7, encrypted);
            ps.setTimestamp(8, Timestamp.from(now));
            ps.executeUpdate();
        }
        for (String hash : new LinkedHashSet<>(deviceHashes)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO held_record_device (record_id, device_hash) VALUES (?, ?)")) {
                ps.setString(1, recordId);
                ps.setString(2, hash);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Moves every reading held for these devices into the journal, linked to the patient, in the order they were
     * held.
     *
     * @return how many were released
     */
    static int release(Connection c, List<String> deviceHashes, String patientKey, Instant now) throws SQLException {
        if (deviceHashes.isEmpty() || patientKey == null) {
            return 0;
        }
        Set<String> recordIds = new LinkedHashSet<>();
        StringBuilder sql = new StringBuilder("SELECT h.record_id FROM held_record h JOIN held_record_device d "
                + "ON d.record_id = h.record_id WHERE d.device_hash IN (");
        sql.append("?,".repeat(deviceHashes.size())).setLength(sql.length() - 1);
        sql.append(") ORDER BY h.seq");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < deviceHashes.size(); i++) {
                ps.setString(i + 1, deviceHashes.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    recordIds.add(rs.getString(1));
                }
            }
        }
        List<String> released = new ArrayList<>(recordIds);
        for (String recordId : released) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO journal (record_id, connector_id, patient_key, "
                    + "resource_type, category, unmapped_count, key_id, payload, journalled_at) "
                    + "SELECT record_id, connector_id, ?, resource_type, category, unmapped_count, key_id, payload, ? "
                    + "FROM held_record WHERE record_id = ?")) {
                ps.setString(1, patientKey);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, recordId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM held_record_device WHERE record_id = ?")) {
                ps.setString(1, recordId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM held_record WHERE record_id = ?")) {
                ps.setString(1, recordId);
                ps.executeUpdate();
            }
        }
        return released.size();
    }
}
