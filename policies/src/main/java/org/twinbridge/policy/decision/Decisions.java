package org.twinbridge.policy.decision;

import org.twinbridge.policy.model.Obligation;
import java.util.ArrayList;
import java.util.List;

/** The one reduction used to combine decisions. */
public final class Decisions {

    private Decisions() {
    }

    /**
     * Deny-overrides: any deny wins and names every denying rule; otherwise permit if at least one decision
     * permits, with the permits' obligations merged and consent required if any permit requires it; an empty
     * list is a deny (there is no rule, so nothing is allowed).
     */
    public static Decision denyOverrides(List<Decision> decisions, String policyVersion) {
        List<Decision.Deny> denies = new ArrayList<>();
        List<String> permitting = new ArrayList<>();
        List<List<org.twinbridge.policy.model.Obligation>> obligations = new ArrayList<>();
        boolean consentRequired = false;
        for (Decision d : decisions) {
            if (d instanceof Decision.Deny deny) {
                denies.add(deny);
            } else if (d instanceof Decision.Permit permit) {
                permitting.addAll(permit.rules());
                obligations.add(permit.obligations());
                consentRequired |= permit.consentRequired();
            }
        }
        if (!denies.isEmpty()) {
            List<String> rules = denies.stream().flatMap(d -> d.rules().stream()).toList();
            String reason = String.join("; ", denies.stream().map(Decision.Deny::reason).toList());
            return new Decision.Deny(reason, rules, policyVersion);
        }
        if (permitting.isEmpty()) {
            return new Decision.Deny("no rule permits this access (default deny)", List.of(), policyVersion);
        }
        return new Decision.Permit(permitting, policyVersion, ObligationMerge.merge(obligations), consentRequired);
    }
}
