package org.twinbridge.runtime.node;

import java.sql.SQLException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.storage.Database;

/**
 * The background re-wrap after a KEK rotation: each tick moves up to {@code MAX_BATCHES} batches of data keys
 * from older KEK versions to the current one, one committed transaction (with its {@code keys.rewrap} audit
 * entry) per batch. Resumable by construction: the table is the progress. Idle once nothing is left: new data
 * keys are always wrapped by the current KEK, which changes only when the node restarts.
 */
public final class KeyRewrapProcessor implements Processor {

    public static final int BATCH = 500;
    private static final int MAX_BATCHES = 20;
    private static final Logger LOG = LoggerFactory.getLogger(KeyRewrapProcessor.class);
    private final Database db;
    private final DataKeys keys;
    private final AuditTrail audit;
    /** The current KEK changes only with a restart, so once nothing is left nothing will be in this process. */
    private volatile boolean finished;

    KeyRewrapProcessor(Database db, DataKeys keys, AuditTrail audit) {
        this.db = db;
        this.keys = keys;
        this.audit = audit;
    }

    @Override
    public void process(Exchange exchange) throws SQLException {
        for (int i = 0; i < MAX_BATCHES && !finished && exchange.getContext().isStarted(); i++) {
            int done = runBatch(keys, db, audit, "node");
            if (done == 0) {
                finished = true;
            }
            if (done < BATCH) {
                return;
            }
        }
    }

    /** One batch in one transaction; returns how many keys it re-wrapped. */
    public static int runBatch(DataKeys keys, Database db, AuditTrail audit, String actor) throws SQLException {
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
