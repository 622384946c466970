package org.twinbridge.consent.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of consent evaluation for one access: exactly two cases, so that no caller can mistake an
 * unknown outcome for "allow".
 */
public sealed interface ConsentDecision permits ConsentDecision.Permit, ConsentDecision.Deny {

    /**
     * Why, naming each deciding consent with its version and provision path, or the per-purpose default;
     * never holds PHI.
     */
    String reason();

    /** The deciding provisions; empty when the per-purpose default decided. */
    List<ConsentCitation> basis();

    /** True for {@link Permit}. */
    default boolean permitted() {
        return this instanceof Permit;
    }

    /** True when no consent applied and the per-purpose default decided. */
    default boolean byDefault() {
        return basis().isEmpty();
    }

    /** The patient's consent (or the default) allows the access. */
    record Permit(String reason, List<ConsentCitation> basis) implements ConsentDecision {
        public Permit {
            Objects.requireNonNull(reason, "reason");
            basis = List.copyOf(basis);
        }
    }

    /** The patient's consent (or the default) refuses the access. */
    record Deny(String reason, List<ConsentCitation> basis) implements ConsentDecision {
        public Deny {
            Objects.requireNonNull(reason, "reason");
            basis = List.copyOf(basis);
        }
    }
}
