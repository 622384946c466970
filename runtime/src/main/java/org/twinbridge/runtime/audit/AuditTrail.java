package org.twinbridge.runtime.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Appends audit events. An event is written in the caller's transaction, so it commits with what it records. */
public interface AuditTrail {

    void record(Connection connection, AuditEvent event) throws SQLException;

    /** Appends the events in order, as one {@link #record} each unless the trail can do better. */
    default void recordAll(Connection connection, List<AuditEvent> events) throws SQLException {
        for (AuditEvent event : events) {
            record(connection, event);
        }
    }
}
