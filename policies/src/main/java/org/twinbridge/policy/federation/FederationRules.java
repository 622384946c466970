package org.twinbridge.policy.federation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.Decisions;
import org.twinbridge.policy.model.PolicyRule;

/**
 * The federation section of a policy set: rules deciding which federated tasks may run here, and the disclosure
 * thresholds. Rules combine as record rules do, deny-overrides with default deny: a task no rule permits does not
 * run. Immutable and thread-safe.
 */
public record FederationRules(List<FederationRule> rules, DisclosureSettings disclosure) {

    public FederationRules {
        rules = List.copyOf(rules);
        Objects.requireNonNull(disclosure, "disclosure");
    }

    /** No rules (every task is denied) and the default thresholds. */
    public static FederationRules none() {
        return new FederationRules(List.of(), DisclosureSettings.defaults());
    }

    /**
     * May {@code requester} run {@code plugin} for {@code purpose} at this site?
     *
     * @param policyVersion the content hash of the policy set, carried by the decision
     */
    public Decision decide(String requester, String plugin, String purpose, String policyVersion) {
        List<Decision> applying = new ArrayList<>();
        for (FederationRule rule : rules) {
            if (rule.applies(requester, plugin, purpose)) {
                applying.add(rule.effect() == PolicyRule.Effect.PERMIT
                        ? new Decision.Permit(List.of(rule.id()), policyVersion)
                        : new Decision.Deny("federation rule " + rule.id() + " denies", List.of(rule.id()),
                                policyVersion));
            }
        }
        Decision decision = Decisions.denyOverrides(applying, policyVersion);
        if (decision instanceof Decision.Deny deny && deny.rules().isEmpty()) {
            return new Decision.Deny("no federation rule lets site '" + requester + "' run plugin '" + plugin
                    + "' for purpose " + purpose + " here (default deny)", List.of(), policyVersion);
        }
        return decision;
    }
}
