package org.twinbridge.policy.explain;

import ca.uhn.fhir.context.FhirContext;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.enforcement.Enforcer;

/**
 * Runs one resource through labelling, the decision point and the enforcement point exactly as a node does,
 * without a node: for {@code policy explain}, {@code policy test} and the admin API's dry run.
 */
public final class PolicyExplainer {

    private final FhirContext fhir;
    private final PolicyDecisionPoint decisions;
    private final Enforcer enforcer;
    private final LocalDate today;

    public PolicyExplainer(FhirContext fhir, PolicyDecisionPoint decisions, LocalDate today) {
        this.fhir = fhir;
        this.decisions = decisions;
        this.enforcer = new Enforcer(fhir);
        this.today = today;
    }

    /**
     * Explains one resource for a recipient and purpose.
     *
     * @param consentGiven whether the patient's consent permits this access; only consulted when a permit
     *                     requires consent
     */
    public Explanation explain(String recipient, String purpose, Resource source, boolean consentGiven) {
        return explain(recipient, purpose, source, consentGiven ? ConsentCheck.given() : ConsentCheck.absent());
    }

    /**
     * Explains one resource for a recipient and purpose.
     *
     * @param consent what the patient's consent says; consulted (with the labelled record) only when a permit
     *                requires consent
     */
    public Explanation explain(String recipient, String purpose, Resource source, ConsentCheck consent) {
        Resource resource = source.copy();
        Set<String> labels = decisions.policySet().labels().apply(fhir, resource);
        AccessRequest request = new AccessRequest(recipient, purpose, resource, labels);
        Decision decision = decisions.decide(request);
        Decision effective = decision;
        Optional<String> consentReason = Optional.empty();
        if (decision instanceof Decision.Permit permit && permit.consentRequired()) {
            ConsentCheck.Outcome outcome = consent.check(request);
            consentReason = Optional.of(outcome.reason());
            if (!outcome.permitted()) {
                effective = new Decision.Deny("the permitting rule requires the patient's consent, and consent "
                        + "denies: " + outcome.reason(), permit.rules(), permit.policyVersion());
            }
        }
        if (!(effective instanceof Decision.Permit permit)) {
            return new Explanation(source.fhirType(), labels, decision, effective, consentReason, List.of(),
                    Optional.empty());
        }
        PreviewContext context = new PreviewContext(recipient, patientOf(resource), today);
        Resource view = enforcer.enforce(resource, permit.obligations(), context);
        return new Explanation(source.fhirType(), labels, decision, effective, consentReason,
                Enforcer.describe(permit.obligations()), Optional.of(view));
    }

    private static String patientOf(Resource resource) {
        if (resource instanceof Patient) {
            return "Patient/" + resource.getIdElement().getIdPart();
        }
        for (String name : List.of("subject", "patient")) {
            Property property = resource.getNamedProperty(name);
            if (property != null) {
                for (Base value : property.getValues()) {
                    if (value instanceof Reference ref && ref.hasReference()) {
                        return ref.getReference();
                    }
                }
            }
        }
        return "none";
    }
}
