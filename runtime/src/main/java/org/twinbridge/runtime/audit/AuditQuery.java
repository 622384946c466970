package org.twinbridge.runtime.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * Filters for reading the audit trail; empty filters match everything. Results come in chain order.
 *
 * @param outcome {@code PERMIT} or {@code DENY} (decisions only)
 * @param consent a consent id ({@code Consent/abc}): only the decisions that consent determined, those whose
 *                decision log names it among the consents that decided (decisions only)
 * @param limit   at most this many entries, the newest ones when there are more
 */
public record AuditQuery(Optional<String> plugin, Optional<String> patient, Optional<String> purpose,
        Optional<String> outcome, Optional<Instant> since, Optional<String> kind, Optional<String> receipt,
        Optional<String> consent, int limit) {

    public AuditQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }

    /** Without the consent filter. */
    public AuditQuery(Optional<String> plugin, Optional<String> patient, Optional<String> purpose,
            Optional<String> outcome, Optional<Instant> since, Optional<String> kind, Optional<String> receipt,
            int limit) {
        this(plugin, patient, purpose, outcome, since, kind, receipt, Optional.empty(), limit);
    }

    public static AuditQuery all() {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Integer.MAX_VALUE);
    }
}
