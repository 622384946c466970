package org.twinbridge.policy.explain;

import java.util.Objects;
import org.twinbridge.policy.decision.AccessRequest;

/**
 * What the patient's consent says about one access, for tools that explain decisions without a node
 * ({@code policy explain}, {@code policy test}). Consulted only when the permitting rule requires consent. The
 * consent module supplies real evaluation; {@link #given()} and {@link #absent()} are the fixed answers that
 * policy tests may ask for. Implementations never throw for a well-formed request.
 */
@FunctionalInterface
public interface ConsentCheck {

    Outcome check(AccessRequest request);

    /**
     * The answer.
     *
     * @param reason why, naming the consents (or the default) that decided; no PHI
     */
    record Outcome(boolean permitted, String reason) {
        public Outcome {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A test stand-in: the patient's consent permits. */
    static ConsentCheck given() {
        return request -> new Outcome(true, "consent given (stated by the test)");
    }

    /** No consent: nothing permits. */
    static ConsentCheck absent() {
        return request -> new Outcome(false, "no consent was given");
    }
}
