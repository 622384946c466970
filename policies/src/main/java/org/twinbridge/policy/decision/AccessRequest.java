package org.twinbridge.policy.decision;

import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * One question for the decision point: may this recipient see this record for this purpose?
 * {@link #toString()} prints no resource content.
 *
 * @param recipient the plugin id
 * @param purpose   HL7 v3 PurposeOfUse code, for example {@code TREAT}
 * @param resource  the record's resource, as journalled
 * @param labels    sensitivity labels the record carries (HL7 v3 ActCode), possibly empty; a
 *                  {@link PolicyDecisionPoint} adds those its current code lists call for
 */
public record AccessRequest(String recipient, String purpose, Resource resource, Set<String> labels) {

    public AccessRequest {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(resource, "resource");
        labels = Set.copyOf(labels);
    }

    /** The resource type name, e.g. {@code Observation}. */
    public String resourceType() {
        return resource.fhirType();
    }

    @Override
    public String toString() {
        return "AccessRequest[recipient=" + recipient + ", purpose=" + purpose + ", type=" + resourceType() + "]";
    }
}
