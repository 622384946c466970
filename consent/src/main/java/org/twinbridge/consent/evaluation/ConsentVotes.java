package org.twinbridge.consent.evaluation;

import java.util.ArrayList;
import java.util.List;
import org.twinbridge.consent.model.ConsentDefaults;
import org.twinbridge.consent.model.Effect;

/** The one reduction of consent votes into a decision. */
public final class ConsentVotes {

    private ConsentVotes() {
    }

    /**
     * Deny-overrides with a per-purpose default: any consent that denies wins, naming every denying consent;
     * otherwise any consent that permits permits, naming every permitting consent; when every consent abstains
     * (or there are none), the default for the purpose decides.
     */
    public static ConsentDecision combine(List<ConsentVote> votes, String purpose, ConsentDefaults defaults) {
        List<ConsentCitation> denies = new ArrayList<>();
        List<ConsentCitation> permits = new ArrayList<>();
        for (ConsentVote vote : votes) {
            if (vote instanceof ConsentVote.Applies applies) {
                (applies.effect() == Effect.DENY ? denies : permits).add(applies.citation());
            }
        }
        if (!denies.isEmpty()) {
            return new ConsentDecision.Deny(describe(denies), denies);
        }
        if (!permits.isEmpty()) {
            return new ConsentDecision.Permit(describe(permits), permits);
        }
        ConsentDefaults.Resolved fallback = defaults.resolve(purpose);
        String none = votes.isEmpty() ? "the patient has no consent on file"
                : "none of the patient's " + votes.size() + " consent(s) applies";
        String reason = none + "; " + fallback.explanation();
        return fallback.effect() == Effect.PERMIT ? new ConsentDecision.Permit(reason, List.of())
                : new ConsentDecision.Deny(reason, List.of());
    }

    private static String describe(List<ConsentCitation> citations) {
        return String.join("; ", citations.stream().map(ConsentCitation::describe).toList());
    }
}
