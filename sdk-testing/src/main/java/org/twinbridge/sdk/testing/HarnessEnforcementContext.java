package org.twinbridge.sdk.testing;

import java.time.LocalDate;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.twinbridge.policy.enforcement.EnforcementContext;
import org.twinbridge.policy.enforcement.ReferenceMapper;
import org.twinbridge.policy.explain.PreviewContext;

/**
 * The enforcement context of one harness delivery. Pseudonyms and the date offset come from the policy tools'
 * fixed preview key ({@link PreviewContext}): repeatable from run to run, shaped like a node's, but not a node's
 * and protecting nothing. As in a node, every reference to the record's patient becomes
 * {@code Patient/<subject>}, so the resource and the delivery name the same subject.
 */
final class HarnessEnforcementContext implements EnforcementContext {

    private final PreviewContext keys;
    private final Map<String, String> patientReferences;
    private final String resourceId;

    /**
     * @param patientReference the record's patient, for example {@code Patient/123}; fixes the date offset
     * @param patientReferences literal patient references in the record to their {@code Patient/<subject>}
     */
    HarnessEnforcementContext(String recipient, String patientReference, Map<String, String> patientReferences,
            String resourceId, LocalDate today) {
        this.keys = new PreviewContext(recipient, patientReference, today);
        this.patientReferences = Map.copyOf(patientReferences);
        this.resourceId = resourceId;
    }

    /** The subject pseudonym of a patient for a recipient. */
    static String subjectOf(String recipient, String patientReference) {
        return new PreviewContext(recipient, "none", LocalDate.EPOCH).pseudonym("patient|" + patientReference);
    }

    @Override
    public String pseudonym(String value) {
        return keys.pseudonym(value);
    }

    @Override
    public ReferenceMapper references() {
        return reference -> {
            String subject = patientReferences.get(reference);
            if (subject != null) {
                return subject;
            }
            String type = new IdType(reference).getResourceType();
            return (type == null ? "Resource" : type) + "/" + keys.pseudonym("ref|" + reference);
        };
    }

    @Override
    public int dateShiftDays(int maxDays) {
        return keys.dateShiftDays(maxDays);
    }

    @Override
    public LocalDate today() {
        return keys.today();
    }

    @Override
    public String resourceId() {
        return resourceId;
    }
}
