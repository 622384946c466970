package org.twinbridge.sdk.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * One record as a particular plugin is allowed to see it: already decided by consent and policy, projected
 * to the allowed elements and pseudonymised in that plugin's key domain.
 *
 * <p>The resource is the plugin's own copy; changing it affects nobody else. {@link #toString()} prints
 * metadata only, never the resource.
 *
 * @param subject       the patient's pseudonym in this plugin's key domain; stable for the patient and
 *                      plugin, and unlinkable across plugins
 * @param resource      the projected FHIR R4 resource
 * @param category      a coarse category such as {@code vital-signs}, {@code laboratory} or the resource type
 * @param effectiveTime when the fact was true clinically (for example Observation.effective), if known; may be
 *                      date-shifted by policy
 * @param receiptId     the privacy receipt: resolves, in the node's audit log, to the decision that let the
 *                      plugin see this record
 * @param policyVersion the content hash of the policy set that decided
 */
public record AuthorisedRecord(
        String subject,
        Resource resource,
        String category,
        Optional<Instant> effectiveTime,
        String receiptId,
        String policyVersion) {

    public AuthorisedRecord {
        requireText(subject, "subject");
        Objects.requireNonNull(resource, "resource");
        requireText(category, "category");
        Objects.requireNonNull(effectiveTime, "effectiveTime");
        requireText(receiptId, "receiptId");
        requireText(policyVersion, "policyVersion");
    }

    /** The FHIR resource type name, for example {@code Observation}. */
    public String resourceType() {
        return resource.fhirType();
    }

    @Override
    public String toString() {
        return "AuthorisedRecord[type=" + resourceType() + ", category=" + category
                + ", receipt=" + receiptId + ", policy=" + policyVersion + "]";
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be non-blank");
        }
    }
}
