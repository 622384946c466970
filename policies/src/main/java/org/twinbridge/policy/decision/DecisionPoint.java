package org.twinbridge.policy.decision;

/**
 * The policy decision point. Implementations are thread-safe and side-effect free, and never default to
 * permit: a missing rule, an evaluation error or an unloaded policy must come back as a {@link Decision.Deny}.
 */
public interface DecisionPoint {

    /** Decides one request. Never returns null and never throws for a well-formed request. */
    Decision decide(AccessRequest request);

    /** The content hash of the policy set this point currently evaluates. */
    String policyVersion();
}
