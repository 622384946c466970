package org.twinbridge.consent.evaluation;

import java.util.Objects;
import org.twinbridge.consent.model.Effect;

/**
 * What one consent says about one access: it applies (and permits or denies, citing the deciding provision),
 * or it abstains (inactive, out of scope or period, or no provision matches). Votes become a decision through
 * {@link ConsentVotes#combine}.
 */
public sealed interface ConsentVote permits ConsentVote.Applies, ConsentVote.Abstains {

    /** A human-readable account, no PHI. */
    String reason();

    /** The consent applies to the access. */
    record Applies(ConsentCitation citation) implements ConsentVote {
        public Applies {
            Objects.requireNonNull(citation, "citation");
        }

        public Effect effect() {
            return citation.effect();
        }

        @Override
        public String reason() {
            return citation.describe();
        }
    }

    /**
     * The consent says nothing about the access.
     *
     * @param consent the consent's label
     * @param why     e.g. "status is inactive"
     */
    record Abstains(String consent, String why) implements ConsentVote {
        public Abstains {
            Objects.requireNonNull(consent, "consent");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String reason() {
            return consent + " does not apply: " + why;
        }
    }
}
