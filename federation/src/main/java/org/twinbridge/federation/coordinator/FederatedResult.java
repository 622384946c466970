package org.twinbridge.federation.coordinator;

import java.util.List;
import java.util.Objects;

/**
 * What a federated task came to: each site's status, in the order the sites were asked, and the released tables
 * pooled. {@link #partial()} is true when any site did not release: the pooled table then covers fewer sites than
 * were asked, and says which.
 */
public record FederatedResult(String taskId, List<SiteStatus> sites, PooledTable pooled) {

    public FederatedResult {
        Objects.requireNonNull(taskId, "taskId");
        sites = List.copyOf(sites);
        Objects.requireNonNull(pooled, "pooled");
    }

    public boolean partial() {
        return sites.stream().anyMatch(s -> !(s instanceof SiteStatus.Ok))
                || !pooled.mismatched().isEmpty();
    }
}
