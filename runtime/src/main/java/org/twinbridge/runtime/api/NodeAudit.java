package org.twinbridge.runtime.api;

import java.sql.SQLException;
import java.util.Map;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditLog;

/** Appends the API's own entries (each in its own transaction) to the node's audit trail. */
public final class NodeAudit {

    private final AuditLog log;

    public NodeAudit(AuditLog log) {
        this.log = log;
    }

    /** @param subject the internal patient key the entry is about, or "" */
    public void record(String kind, Principal principal, String subject, Map<String, String> details)
            throws SQLException {
        log.append(new AuditEvent(kind, principal.auditActor(), subject, details));
    }
}
