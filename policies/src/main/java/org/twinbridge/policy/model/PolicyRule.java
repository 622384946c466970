package org.twinbridge.policy.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One rule of a policy set. A rule <em>applies</em> to a request when every one of its conditions holds:
 * the recipient matches one of {@link #recipients}, the purpose is in {@link #purposes}, the resource type is
 * in {@link #resourceTypes}, the record carries every label in {@link #requireLabels} and none in
 * {@link #denyLabels}, and the FHIRPath {@link #condition} (if any) is true. An applying rule decides with
 * its {@link #effect}; rules combine deny-overrides and nothing applying means deny.
 *
 * @param obligations  for a permit: per resource type, what must be done to the record (always including
 *                     its allow-list projection); empty for a deny
 * @param location     where the rule is written, {@code file:line:column}, for explanations
 */
public record PolicyRule(
        String id,
        String description,
        Effect effect,
        List<RecipientPattern> recipients,
        Set<String> purposes,
        Set<String> resourceTypes,
        Optional<Condition> condition,
        Set<String> requireLabels,
        Set<String> denyLabels,
        boolean consentRequired,
        Map<String, List<Obligation>> obligations,
        String location) {

    public PolicyRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(effect, "effect");
        recipients = List.copyOf(recipients);
        purposes = Set.copyOf(purposes);
        resourceTypes = Set.copyOf(resourceTypes);
        Objects.requireNonNull(condition, "condition");
        requireLabels = Set.copyOf(requireLabels);
        denyLabels = Set.copyOf(denyLabels);
        obligations = Map.copyOf(obligations);
        if (effect == Effect.PERMIT && !obligations.keySet().containsAll(resourceTypes)) {
            throw new IllegalArgumentException("permit rule " + id + " must project every resource type it grants");
        }
    }

    /** What an applying rule decides. */
    public enum Effect { PERMIT, DENY }

    /** True if the recipient, purpose, type and labels match; the FHIRPath condition is checked separately. */
    public boolean targets(String recipient, String purpose, String resourceType, Set<String> labels) {
        return resourceTypes.contains(resourceType)
                && purposes.contains(purpose)
                && recipients.stream().anyMatch(p -> p.matches(recipient))
                && labels.containsAll(requireLabels)
                && denyLabels.stream().noneMatch(labels::contains);
    }
}
