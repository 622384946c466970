package org.twinbridge.runtime.federation;

import java.util.Map;
import java.util.Optional;
import org.twinbridge.federation.site.ReleaseAudit;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditLog;
import org.twinbridge.runtime.audit.AuditQuery;
import org.twinbridge.runtime.audit.AuditRecord;

/**
 * A site's federation decisions in the node's hash-chained audit trail: one entry per decision, found again by its
 * chain position, which is what the coordinator is told ("audit #42").
 */
public final class AuditedReleases implements ReleaseAudit {

    private final AuditLog log;

    public AuditedReleases(AuditLog log) {
        this.log = log;
    }

    @Override
    public synchronized String record(String kind, String actor, Map<String, String> details) throws Exception {
        log.append(new AuditEvent(kind, actor, "", details));
        java.util.List<AuditRecord> last = log.query(new AuditQuery(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(kind), Optional.empty(), 1));
        return last.isEmpty() ? "audit" : "audit #" + last.get(0).position();
    }
}
