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

    /**
     * The labels a decision on {@code request} uses, computed once so that a caller deciding the same record for
     * several recipients can pass them to {@link #decide(AccessRequest, Labels)} instead of having every decision
     * label the record again. By default, the labels the request carries.
     */
    default Labels labels(AccessRequest request) {
        return new Labels(policyVersion(), request.labels());
    }

    /**
     * Decides {@code request} with labels that {@link #labels} gave for a request on the same resource carrying the
     * same labels. Labels computed under another policy version are not trusted: the decision labels afresh. By
     * default the same as {@link #decide(AccessRequest)}.
     */
    default Decision decide(AccessRequest request, Labels labels) {
        return decide(request);
    }

    /**
     * A record's labels as a policy version's code lists give them.
     *
     * @param policyVersion the version whose code lists computed them
     * @param labels        the labels the request carried and those the code lists call for
     */
    record Labels(String policyVersion, java.util.Set<String> labels) {
        public Labels {
            java.util.Objects.requireNonNull(policyVersion, "policyVersion");
            // Sorted, as labelling gives them: a permit carries them on in this order.
            labels = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(labels));
        }
    }
}
