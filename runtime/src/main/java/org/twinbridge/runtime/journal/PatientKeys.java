package org.twinbridge.runtime.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyOwner;

/**
 * Crypto-shredding of one patient's journal: destroying the patient's data key makes every journalled record
 * of that patient unreadable, wherever a copy of the ciphertext lives. Erasure calls {@link #destroy}; it needs
 * no key material. Thread-safe.
 */
public final class PatientKeys {

    private final DataKeys keys;
    private final AuditTrail audit;
    private final String actor;

    /**
     * @param actor who destroys, for the audit entry: a user id, {@code cli:<os user>} or {@code node}
     */
    public PatientKeys(DataKeys keys, AuditTrail audit, String actor) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    /**
     * What one destruction did.
     *
     * @param keyIds         the data keys destroyed (empty if the patient had no live key)
     * @param journalRecords how many journal records those keys protected, now unreadable
     */
    public record Shredded(String patientKey, List<String> keyIds, long journalRecords) {
        public Shredded {
            keyIds = List.copyOf(keyIds);
        }
    }

    /**
     * Destroys the patient's data key in the caller's transaction and records a {@code keys.destroy} audit
     * entry in the same transaction: both commit, or neither. Records journalled for the patient afterwards get
     * a new key; whether to accept them is the caller's decision. Idempotent.
     *
     * <p>Final against backups only once the KEK versions that wrapped the key are retired (see
     * docs/security.md, key lifecycle).
     */
    public Shredded destroy(Connection connection, String patientKey) throws SQLException {
        List<String> keyIds = keys.destroy(connection, KeyOwner.patient(patientKey));
        long records = 0;
        for (String keyId : keyIds) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM journal WHERE key_id = ?")) {
                ps.setString(1, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    records += rs.getLong(1);
                }
            }
        }
        audit.record(connection, new AuditEvent("keys.destroy", actor, patientKey, Map.of(
                "owner", KeyOwner.patient(patientKey).value(),
                "key_ids", String.join(",", keyIds),
                "journal_records", Long.toString(records))));
        return new Shredded(patientKey, keyIds, records);
    }

    @Override
    public String toString() {
        return "PatientKeys[" + actor + "]";
    }
}
