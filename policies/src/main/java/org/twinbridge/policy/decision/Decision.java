package org.twinbridge.policy.decision;

import java.util.List;
import java.util.Objects;
import org.twinbridge.policy.model.Obligation;

/**
 * The outcome of one access decision: a closed type with exactly two cases, so no caller can mistake an
 * unknown outcome for "allow".
 */
public sealed interface Decision permits Decision.Permit, Decision.Deny {

    /** The content hash of the policy set that decided. */
    String policyVersion();

    /** The rules that decided, by id; empty when the default decided. */
    List<String> rules();

    /**
     * Access is allowed, under the named rules, on condition that the obligations are applied first.
     *
     * @param obligations what the enforcement point must do to the record; empty means the baseline
     *                    projection only (the allow-list decision point)
     * @param consentRequired whether the patient's consent must also permit this access
     */
    record Permit(List<String> rules, String policyVersion, List<Obligation> obligations, boolean consentRequired)
            implements Decision {
        public Permit {
            rules = List.copyOf(rules);
            Objects.requireNonNull(policyVersion, "policyVersion");
            obligations = List.copyOf(obligations);
            if (rules.isEmpty()) {
                throw new IllegalArgumentException("a permit names the rule that grants it");
            }
        }

        /** A permit with no obligations beyond the baseline projection and no consent requirement. */
        public Permit(List<String> rules, String policyVersion) {
            this(rules, policyVersion, List.of(), false);
        }
    }

    /**
     * Access is refused.
     *
     * @param reason why, for the audit log and operators; never holds PHI
     */
    record Deny(String reason, List<String> rules, String policyVersion) implements Decision {
        public Deny {
            Objects.requireNonNull(reason, "reason");
            rules = List.copyOf(rules);
            Objects.requireNonNull(policyVersion, "policyVersion");
        }
    }

    /** True for {@link Permit}. */
    default boolean permitted() {
        return this instanceof Permit;
    }
}
