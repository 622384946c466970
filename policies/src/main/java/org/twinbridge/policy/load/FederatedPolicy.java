package org.twinbridge.policy.load;

import java.util.Objects;
import org.twinbridge.policy.federation.FederationRules;
import org.twinbridge.policy.model.PolicySet;

/**
 * A policy set together with its {@code federation:} section, as {@link PolicyLoader#loadFederated} reads them from
 * one directory: the record rules decide what an aggregate plugin sees, the federation rules whether a task runs.
 */
public record FederatedPolicy(PolicySet set, FederationRules federation) {
    public FederatedPolicy {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(federation, "federation");
    }
}
