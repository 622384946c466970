package org.twinbridge.policy.decision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.twinbridge.policy.model.PolicyRule;
import org.twinbridge.policy.model.PolicySet;

/**
 * Evaluates a {@link PolicySet}: finds the rules that apply (recipient, purpose, type, labels, FHIRPath
 * condition), lets each decide, and combines them deny-overrides with default deny. Rules are indexed by
 * resource type, so a decision costs the rules for that type, not the whole set. Immutable and thread-safe.
 */
public final class PolicyDecisionPoint implements DecisionPoint {

    private final PolicySet policies;
    private final Map<String, List<PolicyRule>> byType = new HashMap<>();

    public PolicyDecisionPoint(PolicySet policies) {
        this.policies = policies;
        for (PolicyRule rule : policies.rules()) {
            rule.resourceTypes().forEach(type -> byType.computeIfAbsent(type, t -> new ArrayList<>()).add(rule));
        }
    }

    @Override
    public Decision decide(AccessRequest request) {
        String type = request.resourceType();
        List<Decision> applying = new ArrayList<>();
        for (PolicyRule rule : byType.getOrDefault(type, List.of())) {
            if (!rule.targets(request.recipient(), request.purpose(), type, request.labels())) {
                continue;
            }
            boolean conditionHolds;
            try {
                conditionHolds = rule.condition().map(c -> c.holds(request.resource())).orElse(true);
            } catch (RuntimeException e) {
                // Fail closed: a deny rule whose condition cannot be evaluated denies; a permit rule does not permit.
                if (rule.effect() == PolicyRule.Effect.DENY) {
                    applying.add(deny(rule, "condition of deny rule " + rule.id() + " could not be evaluated ("
                            + e.getClass().getSimpleName() + ")"));
                }
                continue;
            }
            if (conditionHolds) {
                applying.add(rule.effect() == PolicyRule.Effect.PERMIT
                        ? new Decision.Permit(List.of(rule.id()), policies.version(), rule.obligations().get(type),
                                rule.consentRequired())
                        : deny(rule, "rule " + rule.id() + " denies"));
            }
        }
        return Decisions.denyOverrides(applying, policies.version());
    }

    private Decision.Deny deny(PolicyRule rule, String reason) {
        return new Decision.Deny(reason, List.of(rule.id()), policies.version());
    }

    @Override
    public String policyVersion() {
        return policies.version();
    }

    public PolicySet policySet() {
        return policies;
    }
}
