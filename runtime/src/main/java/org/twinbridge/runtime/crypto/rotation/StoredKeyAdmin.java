package org.twinbridge.runtime.crypto.rotation;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyId;
import org.twinbridge.runtime.crypto.KeyInfo;
import org.twinbridge.runtime.crypto.KeyRetirement;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.storage.Database;

/** {@link KeyAdmin} over the node's keystore file and the data keys in its database. */
public final class StoredKeyAdmin implements KeyAdmin {

    private final Database db;
    private final NodeKeys keys;
    private final Path keystore;
    private final KeyRewrap rewrap;
    private final AuditTrail audit;

    public StoredKeyAdmin(Database db, NodeKeys keys, Path keystore, KeyRewrap rewrap, AuditTrail audit) {
        this.db = Objects.requireNonNull(db, "db");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.keystore = Objects.requireNonNull(keystore, "keystore");
        this.rewrap = Objects.requireNonNull(rewrap, "rewrap");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public List<KeyInfo> keys() {
        return keys.keys();
    }

    @Override
    public Map<String, Long> liveKeysByKek() throws SQLException {
        return db.inTransaction(DataKeys::liveKeysByKek);
    }

    @Override
    public Map<String, Long> destroyedKeysByKek() throws SQLException {
        return db.inTransaction(DataKeys::destroyedKeysByKek);
    }

    @Override
    public KeyRewrap rewrap() {
        return rewrap;
    }

    @Override
    public long retire(KeyId kek, char[] keystorePassword, String actor) throws Exception {
        long finalised;
        try (Connection c = db.connection()) {
            // The check reads only; nothing in the database changes, the keystore does.
            finalised = KeyRetirement.retire(c, keystore, keystorePassword, kek);
            c.rollback();
        }
        db.inTransaction(c -> {
            audit.record(c, new AuditEvent("keys.retire", actor, "", Map.of("key", kek.toString(),
                    "destroyed_data_keys_finalised", Long.toString(finalised))));
            return null;
        });
        return finalised;
    }
}
