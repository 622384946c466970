package org.twinbridge.policy.federation;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.twinbridge.policy.model.PolicyRule;
import org.twinbridge.policy.model.RecipientPattern;

/**
 * One federation rule: it applies to a federated task when the requesting site matches one of
 * {@link #requesters}, the aggregate plugin matches one of {@link #plugins} and the purpose is in
 * {@link #purposes}. Requesters are site names (the common name of the site's certificate), written as plugin ids
 * are, with {@code *} globs.
 *
 * @param location where the rule is written, {@code file:line:column}
 */
public record FederationRule(String id, PolicyRule.Effect effect, List<RecipientPattern> requesters,
        List<RecipientPattern> plugins, Set<String> purposes, String location) {

    public FederationRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(effect, "effect");
        requesters = List.copyOf(requesters);
        plugins = List.copyOf(plugins);
        purposes = Set.copyOf(purposes);
        Objects.requireNonNull(location, "location");
    }

    /** True if this rule speaks about the task. */
    public boolean applies(String requester, String plugin, String purpose) {
        return purposes.contains(purpose)
                && requesters.stream().anyMatch(p -> p.matches(requester))
                && plugins.stream().anyMatch(p -> p.matches(plugin));
    }
}
