package org.twinbridge.policy.model;

import java.util.List;
import java.util.Objects;

/**
 * A versioned set of rules, loaded from one directory. Its default is deny: a request that no rule applies to
 * is denied.
 *
 * @param version the content hash of every policy file, so a decision names exactly the text that made it
 * @param labels  the sensitivity code lists used to label records at ingest
 */
public record PolicySet(String id, String description, String version, List<PolicyRule> rules,
        SensitivityLabels labels) {

    public PolicySet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        rules = List.copyOf(rules);
        Objects.requireNonNull(labels, "labels");
    }
}
