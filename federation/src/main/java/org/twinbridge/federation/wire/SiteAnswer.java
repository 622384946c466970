package org.twinbridge.federation.wire;

import java.util.Objects;
import java.util.Optional;
import org.twinbridge.federation.disclosure.DisclosedTable;

/**
 * What a site answers to a task, signed by the site.
 *
 * @param status      released, declined (policy, cohort, disclosure) or failed (the plugin or the site broke)
 * @param reason      for declined and failed: a TB code and a sentence; empty for released
 * @param table       for released: the disclosure-controlled table
 * @param releaseHash for released: {@code sha256:} of the table as encoded, the hash the site's audit entry holds
 * @param auditEntry  where the site's audit trail records this decision (for example {@code audit #42}), or empty
 */
public record SiteAnswer(String taskId, String site, Status status, Optional<String> reason,
        Optional<DisclosedTable> table, Optional<String> releaseHash, Optional<String> auditEntry) {

    public enum Status { RELEASED, DECLINED, FAILED }

    public SiteAnswer {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(releaseHash, "releaseHash");
        Objects.requireNonNull(auditEntry, "auditEntry");
        if ((status == Status.RELEASED) != table.isPresent()) {
            throw new IllegalArgumentException("a released answer, and only that, carries a table");
        }
    }
}
