package org.twinbridge.runtime.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the audit trail as read back: an {@link AuditEvent} with its chain position, time and hash.
 * Holds no PHI (patients appear by internal key or pseudonym).
 */
public record AuditRecord(long position, Instant recordedAt, String kind, String actor, String subject,
        Map<String, String> details, String hash) {

    public AuditRecord {
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(kind, "kind");
        details = Map.copyOf(details);
    }

    public Optional<String> detail(String key) {
        return Optional.ofNullable(details.get(key));
    }

    /** For decisions: the plugin that was (or was not) given the record. */
    public Optional<String> plugin() {
        return detail(JdbcAuditTrail.PLUGIN);
    }

    public Optional<String> purpose() {
        return detail(JdbcAuditTrail.PURPOSE);
    }

    /** For decisions: PERMIT or DENY. */
    public Optional<String> outcome() {
        return detail(JdbcAuditTrail.OUTCOME);
    }

    public Optional<String> receipt() {
        return detail(JdbcAuditTrail.RECEIPT);
    }
}
