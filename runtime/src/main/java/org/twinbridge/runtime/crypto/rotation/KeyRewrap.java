package org.twinbridge.runtime.crypto.rotation;

import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.storage.Database;

/**
 * Re-wrapping data keys under the current KEK after a rotation, one committed transaction (with its
 * {@code keys.rewrap} audit entry) per batch. Resumable by construction: the table is the progress. The node runs
 * {@link #tick} in the background; {@code twinbridge keys rewrap} runs {@link #rewrapAll} while the node is
 * stopped. Thread-safe as far as the database is: batches from two processes would each move different keys.
 */
public final class KeyRewrap {

    public static final int BATCH = 500;
    private static final int MAX_BATCHES_PER_TICK = 20;
    private static final Logger LOG = LoggerFactory.getLogger(KeyRewrap.class);

    private final Database db;
    private final DataKeys keys;
    private final AuditTrail audit;
    /** The current KEK changes only with a restart, so once nothing is left nothing will be in this process. */
    private volatile boolean finished;

    public KeyRewrap(Database db, DataKeys keys, AuditTrail audit) {
        this.db = Objects.requireNonNull(db, "db");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * The node's background step: up to {@code MAX_BATCHES_PER_TICK} batches while {@code running} holds, audited
     * as {@code node}. Idle once nothing is left: new data keys are always wrapped by the current KEK.
     */
    public void tick(BooleanSupplier running) throws SQLException {
        for (int i = 0; i < MAX_BATCHES_PER_TICK && !finished && running.getAsBoolean(); i++) {
            int done = runBatch("node");
            if (done == 0) {
                finished = true;
            }
            if (done < BATCH) {
                return;
            }
        }
    }

    /** Batches until a batch comes back short; returns how many keys were re-wrapped. */
    public long rewrapAll(String actor) throws SQLException {
        long total = 0;
        int batch;
        do {
            batch = runBatch(actor);
            total += batch;
        } while (batch == BATCH);
        return total;
    }

    /** The KEK data keys are re-wrapped under. */
    public String currentKek() {
        return keys.currentKek();
    }

    /** One batch in one transaction; returns how many keys it re-wrapped. */
    int runBatch(String actor) throws SQLException {
        int done = db.inTransaction(c -> {
            int n = keys.rewrap(c, BATCH);
            if (n > 0) {
                audit.record(c, new AuditEvent("keys.rewrap", actor, "", Map.of("data_keys", Integer.toString(n),
                        "to", keys.currentKek())));
            }
            return n;
        });
        if (done > 0) {
            LOG.info("TB-KEYS-030 re-wrapped {} data key(s) under {}", done, keys.currentKek());
        }
        return done;
    }
}
