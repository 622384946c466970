package org.twinbridge.policy.decision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.twinbridge.policy.model.Obligation;
import org.twinbridge.policy.model.PolicyRule;
import org.twinbridge.policy.model.PolicySet;

/**
 * Evaluates a {@link PolicySet}: finds the rules that apply (recipient, purpose, type, labels, FHIRPath
 * condition), lets each decide, and combines them deny-overrides with default deny. Rules are indexed by
 * resource type and recipient, so a decision costs the rules that can apply, not the whole set. Immutable and
 * thread-safe.
 */
public final class PolicyDecisionPoint implements DecisionPoint {

    private final PolicySet policies;
    /** type → recipient id → rules naming that id exactly. */
    private final Map<String, Map<String, List<PolicyRule>>> exact = new HashMap<>();
    /** type → rules with a recipient pattern such as {@code research-*}. */
    private final Map<String, List<PolicyRule>> patterns = new HashMap<>();

    public PolicyDecisionPoint(PolicySet policies) {
        this.policies = policies;
        for (PolicyRule rule : policies.rules()) {
            for (String type : rule.resourceTypes()) {
                if (rule.recipients().stream().anyMatch(r -> r.glob().contains("*"))) {
                    patterns.computeIfAbsent(type, t -> new ArrayList<>()).add(rule);
                } else {
                    rule.recipients().forEach(r -> exact.computeIfAbsent(type, t -> new HashMap<>())
                            .computeIfAbsent(r.glob(), g -> new ArrayList<>()).add(rule));
                }
            }
        }
    }

    /** The rules that can apply to this type and recipient: the index keeps the rest out of the loop. */
    private List<PolicyRule> candidates(String type, String recipient) {
        List<PolicyRule> named = exact.getOrDefault(type, Map.of()).getOrDefault(recipient, List.of());
        List<PolicyRule> globbed = patterns.getOrDefault(type, List.of());
        if (globbed.isEmpty()) {
            return named;
        }
        List<PolicyRule> all = new ArrayList<>(named);
        all.addAll(globbed);
        return all;
    }

    /**
     * Decides with the record's labels computed now, from this set's code lists, together with the labels the
     * request carries: a record journalled under older code lists is judged by today's. A permit's obligations
     * end with {@link Obligation.CarryLabels} when the record has labels, so that the view carries them.
     */
    @Override
    public Decision decide(AccessRequest request) {
        return decide(request, labelsFor(request));
    }

    @Override
    public Labels labels(AccessRequest request) {
        return new Labels(policies.version(), labelsFor(request));
    }

    /** As {@link #decide(AccessRequest)}, without labelling the record again if this version labelled it. */
    @Override
    public Decision decide(AccessRequest request, Labels labels) {
        return labels.policyVersion().equals(policies.version()) ? decide(request, labels.labels()) : decide(request);
    }

    private Decision decide(AccessRequest request, Set<String> labels) {
        String type = request.resourceType();
        List<Decision> applying = new ArrayList<>();
        for (PolicyRule rule : candidates(type, request.recipient())) {
            if (!rule.targets(request.recipient(), request.purpose(), type, labels)) {
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
        Decision decision = Decisions.denyOverrides(applying, policies.version());
        if (decision instanceof Decision.Permit permit && !labels.isEmpty()) {
            List<Obligation> obligations = new ArrayList<>(permit.obligations());
            obligations.add(new Obligation.CarryLabels(labels));
            return new Decision.Permit(permit.rules(), permit.policyVersion(), obligations, permit.consentRequired());
        }
        return decision;
    }

    /** The labels a decision on {@code request} uses: those it carries and those today's code lists call for. */
    public Set<String> labelsFor(AccessRequest request) {
        Set<String> labels = new TreeSet<>(request.labels());
        labels.addAll(policies.labels().labelsFor(request.resource()));
        return labels;
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
