package org.twinbridge.policy.view;

import ca.uhn.fhir.context.FhirContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.enforcement.BaselineProjection;
import org.twinbridge.policy.enforcement.EnforcementContext;
import org.twinbridge.policy.enforcement.Enforcer;

/**
 * Builds the view one recipient receives of a permitted record. A permit with obligations goes through the
 * {@link Enforcer}; a permit without any (the allow-list decision point, or the vendor test harness run
 * without a policy set) gets the {@link BaselineProjection}. The node's dispatcher and the vendor test harness
 * both build views here, so a plugin sees the same shape of record under test as in a node. Thread-safe.
 */
public final class RecipientViews {

    private static final List<String> PATIENT_ELEMENTS = List.of("subject", "patient");
    private final BaselineProjection baseline;
    private final Enforcer enforcer;

    public RecipientViews(FhirContext fhir) {
        this.baseline = new BaselineProjection(fhir);
        this.enforcer = new Enforcer(fhir);
    }

    /**
     * The recipient's view of {@code source}; the source is not modified.
     *
     * @param context the recipient's pseudonyms, reference mapping, date offset and the view's id
     */
    public Resource build(Resource source, Decision.Permit permit, EnforcementContext context) {
        if (permit.obligations().isEmpty()) {
            return baseline.project(source, context.resourceId(), context.references());
        }
        return enforcer.enforce(source, permit.obligations(), context);
    }

    /**
     * The literal {@code Patient/<id>} references a record makes in {@code subject} or {@code patient}: the
     * references that must become the recipient's subject pseudonym, so that a plugin can tell which of its
     * subjects a record is about from the resource as well as from the delivery.
     */
    public static Set<String> referencedPatients(Resource resource) {
        Set<String> refs = new LinkedHashSet<>();
        for (String name : PATIENT_ELEMENTS) {
            Property property = resource.getNamedProperty(name);
            if (property == null) {
                continue;
            }
            for (Base value : property.getValues()) {
                if (value instanceof Reference reference
                        && "Patient".equals(reference.getReferenceElement().getResourceType())) {
                    refs.add("Patient/" + reference.getReferenceElement().getIdPart());
                }
            }
        }
        return refs;
    }
}
