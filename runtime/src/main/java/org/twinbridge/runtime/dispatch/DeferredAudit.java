package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;

/**
 * Collects a dispatch group's audit events and appends them, in order, to the real trail at the end of the group's
 * transaction. Appending takes the audit chain's lock until commit; deferring the appends to the end means the
 * lock is not held while plugins run, so other plugins' groups are not serialised behind this one. The events
 * still commit, or roll back, with what they record. Not thread-safe: one per group.
 */
final class DeferredAudit implements AuditTrail {

    private final AuditTrail trail;
    private final List<AuditEvent> pending = new ArrayList<>();

    DeferredAudit(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void record(Connection connection, AuditEvent event) {
        pending.add(event);
    }

    /** How many events are pending; with {@link #truncate}, drops the events of a record rolled back. */
    int size() {
        return pending.size();
    }

    void truncate(int size) {
        pending.subList(size, pending.size()).clear();
    }

    /** Appends the pending events in the caller's transaction; call it last, just before the commit. */
    void flush(Connection connection) throws SQLException {
        for (AuditEvent event : pending) {
            trail.record(connection, event);
        }
        pending.clear();
    }
}
