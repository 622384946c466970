package org.twinbridge.runtime.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.DecisionPoint;
import org.twinbridge.policy.load.FederatedPolicy;
import org.twinbridge.policy.model.SensitivityLabels;

/**
 * The node's active policy. A new version is swapped in atomically after it has loaded and validated in full,
 * so every decision sees one whole policy set, never a half-loaded one. Thread-safe.
 */
public final class PolicyHolder implements DecisionPoint {

    /**
     * One active version: its decision point, its sensitivity code lists and, for a policy set loaded from a
     * directory, the set with its {@code federation:} rules and thresholds (a federated task is decided and its
     * records are projected under the version active when it arrives).
     */
    public record Active(DecisionPoint decisions, SensitivityLabels labels, String description,
            Optional<FederatedPolicy> federated) {
        public Active {
            Objects.requireNonNull(federated, "federated");
        }

        /** A version with no policy set behind it (the plain allow-list): it lets no federated task run. */
        public Active(DecisionPoint decisions, SensitivityLabels labels, String description) {
            this(decisions, labels, description, Optional.empty());
        }
    }

    private final AtomicReference<Active> active;

    public PolicyHolder(Active initial) {
        this.active = new AtomicReference<>(initial);
    }

    public Active current() {
        return active.get();
    }

    /** Replaces the active version; returns the one it replaced. */
    public Active activate(Active next) {
        return active.getAndSet(next);
    }

    @Override
    public Decision decide(AccessRequest request) {
        return active.get().decisions().decide(request);
    }

    @Override
    public Labels labels(AccessRequest request) {
        return active.get().decisions().labels(request);
    }

    /** Labels from a version since replaced are not trusted by the active one, which labels afresh. */
    @Override
    public Decision decide(AccessRequest request, Labels labels) {
        return active.get().decisions().decide(request, labels);
    }

    @Override
    public String policyVersion() {
        return active.get().decisions().policyVersion();
    }

    public SensitivityLabels labels() {
        return active.get().labels();
    }
}
