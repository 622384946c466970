package org.twinbridge.policy.model;

import java.util.List;
import java.util.Objects;
import org.twinbridge.policy.federation.FederationRules;

/**
 * A versioned set of rules, loaded from one directory. Its default is deny: a request that no rule applies to
 * is denied.
 *
 * @param version the content hash of every policy file, so a decision names exactly the text that made it
 * @param labels  the sensitivity code lists used to label records at ingest
 * @param federation which federated tasks may run here and the disclosure thresholds ({@code federation:})
 */
public record PolicySet(String id, String description, String version, List<PolicyRule> rules,
        SensitivityLabels labels, FederationRules federation) {

    public PolicySet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        rules = List.copyOf(rules);
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(federation, "federation");
    }

    /** A set without a {@code federation:} section: every federated task is denied, default thresholds. */
    public PolicySet(String id, String description, String version, List<PolicyRule> rules, SensitivityLabels labels) {
        this(id, description, version, rules, labels, FederationRules.none());
    }
}
