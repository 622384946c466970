package org.twinbridge.policy.explain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.decision.Decision;

/**
 * Why a recipient would or would not see one resource, and exactly what it would see.
 *
 * @param resourceType the input's type
 * @param labels       sensitivity labels the record carries after labelling
 * @param policyDecision the decision of the policy set alone
 * @param finalDecision  after consent: equal to {@code policyDecision} unless a permit requires consent and
 *                       consent denies
 * @param consent      what the patient's consent said, when the permitting rule required it
 * @param obligations  what was applied, described
 * @param view         the resource as the recipient would receive it; empty when denied
 */
public record Explanation(String resourceType, Set<String> labels, Decision policyDecision, Decision finalDecision,
        Optional<String> consent, List<String> obligations, Optional<Resource> view) {

    public Explanation {
        Objects.requireNonNull(resourceType, "resourceType");
        labels = Set.copyOf(labels);
        Objects.requireNonNull(policyDecision, "policyDecision");
        Objects.requireNonNull(finalDecision, "finalDecision");
        Objects.requireNonNull(consent, "consent");
        obligations = List.copyOf(obligations);
        Objects.requireNonNull(view, "view");
    }
}
