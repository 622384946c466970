package org.twinbridge.runtime.audit;

import java.sql.Connection;
import java.sql.SQLException;

/** Appends audit events. An event is written in the caller's transaction, so it commits with what it records. */
public interface AuditTrail {

    void record(Connection connection, AuditEvent event) throws SQLException;
}
