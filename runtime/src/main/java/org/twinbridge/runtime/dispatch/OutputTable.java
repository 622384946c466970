package org.twinbridge.runtime.dispatch;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.storage.Database;

/** Reads committed twin outputs back, decrypted with the data key each row names (the plugin's). */
public final class OutputTable {

    private final Database db;
    private final DataKeys keys;
    private final FhirContext fhir;

    public OutputTable(Database db, DataKeys keys, FhirContext fhir) {
        this.db = db;
        this.keys = keys;
        this.fhir = fhir;
    }

    /** The associated data an output is sealed with: binds the ciphertext to its plugin and receipt. */
    public static String aad(String pluginId, String receiptId) {
        return "output|" + pluginId + "|" + receiptId;
    }

    /** One stored output. {@link #toString()} omits the resource. */
    public record StoredOutput(long seq, String pluginId, String subject, String kind, String summary,
            String receiptId, Resource resource) {
        @Override
        public String toString() {
            return "StoredOutput[" + seq + ", " + pluginId + ", " + kind + ", " + summary + "]";
        }
    }

    /** Outputs of one plugin in the order they were committed, at most {@code limit}, newest last. */
    public List<StoredOutput> latest(String pluginId, int limit) throws SQLException {
        return select(pluginId, null, limit);
    }

    /** One subject's outputs from one plugin (the subject is the plugin's pseudonym), newest last. */
    public List<StoredOutput> latestFor(String pluginId, String subject, int limit) throws SQLException {
        return select(pluginId, subject, limit);
    }

    private List<StoredOutput> select(String pluginId, String subject, int limit) throws SQLException {
        return db.inTransaction(c -> {
            List<StoredOutput> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, plugin_id, subject, kind, summary, receipt_id, "
                    + "payload, key_id FROM twin_output WHERE plugin_id = ?" + (subject == null ? "" : " AND subject = ?")
                    + " ORDER BY seq DESC")) {
                ps.setString(1, pluginId);
                if (subject != null) {
                    ps.setString(2, subject);
                }
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] json = keys.forReading(c, rs.getString(8)).decrypt(rs.getBytes(7),
                                aad(rs.getString(2), rs.getString(6)));
                        Resource resource = (Resource) fhir.newJsonParser()
                                .parseResource(new String(json, StandardCharsets.UTF_8));
                        out.add(0, new StoredOutput(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), resource));
                    }
                }
            }
            return out;
        });
    }
}
