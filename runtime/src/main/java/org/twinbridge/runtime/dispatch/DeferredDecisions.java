package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.twinbridge.runtime.audit.AuditTrail;

/**
 * Holds a dispatch group's decisions and writes them, in order, at the end of the group's transaction: the
 * decision_log rows in one batch, the audit events under one lock of the chain. Appending takes the chain's lock
 * until commit; deferring it to the end means the lock is not held while plugins run, so other plugins' groups
 * are not serialised behind this one. The decisions still commit, or roll back, with what they record. Not
 * thread-safe: one per group.
 */
final class DeferredDecisions implements DecisionLog.Writer {

    private final AuditTrail audit;
    private final List<DecisionLog.Entry> pending = new ArrayList<>();

    DeferredDecisions(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void write(Connection c, DecisionLog.Entry entry) {
        pending.add(entry);
    }

    /** How many decisions are pending; with {@link #truncate}, drops the decisions of a record rolled back. */
    int size() {
        return pending.size();
    }

    void truncate(int size) {
        pending.subList(size, pending.size()).clear();
    }

    /** Writes the pending decisions in the caller's transaction; call it last, just before the commit. */
    void flush(Connection connection) throws SQLException {
        DecisionLog.write(connection, audit, pending);
        pending.clear();
    }
}
