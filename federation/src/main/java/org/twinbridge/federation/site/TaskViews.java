package org.twinbridge.federation.site;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.enforcement.Enforcer;
import org.twinbridge.policy.enforcement.KeyedEnforcementContext;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.sdk.model.AuthorisedRecord;

/**
 * Builds the authorised views a federated task's plugin receives, record by record, exactly as dispatch does:
 * labels from the site's code lists, the site's policy decision for the plugin and purpose, the patient's consent
 * where the permitting rule requires it, then the enforcement point's projection, pseudonyms and date shift, in
 * the task's own key domain. Records denied are counted, never described.
 */
final class TaskViews {

    private final FhirContext fhir;
    private final Enforcer enforcer;

    TaskViews(FhirContext fhir) {
        this.fhir = fhir;
        this.enforcer = new Enforcer(fhir);
    }

    /**
     * @param views    what the plugin receives
     * @param subjects each delivered subject pseudonym to the site's patient key (never leaves the site)
     */
    record Views(List<AuthorisedRecord> views, Map<String, String> subjects, int denied) {
    }

    Views build(PolicySet policies, SiteConsents consent, List<SiteRecord> records, String plugin, String purpose,
            byte[] taskKey, LocalDate today) {
        PolicyDecisionPoint pdp = new PolicyDecisionPoint(policies);
        List<AuthorisedRecord> views = new ArrayList<>();
        Map<String, String> subjects = new HashMap<>();
        int denied = 0;
        int n = 0;
        for (SiteRecord record : records) {
            n++;
            Resource resource = record.resource().copy();
            Set<String> labels = new TreeSet<>(record.labels());
            labels.addAll(policies.labels().apply(fhir, resource));
            AccessRequest request = new AccessRequest(plugin, purpose, resource, labels);
            Decision decision = pdp.decide(request);
            if (decision instanceof Decision.Permit permit && permit.consentRequired()
                    && !consent.check(record, request).permitted()) {
                decision = new Decision.Deny("consent", permit.rules(), permit.policyVersion());
            }
            if (!(decision instanceof Decision.Permit permit)) {
                denied++;
                continue;
            }
            String receipt = "fed-" + KeyedEnforcementContext.hmac(taskKey, "receipt|" + n).substring(0, 20);
            Resource view = enforcer.enforce(resource, permit.obligations(),
                    new KeyedEnforcementContext(taskKey, plugin, record.patientKey(), today, "record|" + n));
            String subject = subject(taskKey, plugin, record.patientKey());
            subjects.put(subject, record.patientKey());
            views.add(new AuthorisedRecord(subject, view, view.fhirType().toLowerCase(Locale.ROOT),
                    effective(view), receipt, permit.policyVersion()));
        }
        return new Views(views, subjects, denied);
    }

    /** The subject pseudonym of a patient for one task: unlinkable across tasks, because the key is the task's. */
    static String subject(byte[] taskKey, String plugin, String patientKey) {
        return KeyedEnforcementContext.hmac(taskKey, "subject|" + plugin + "|" + patientKey).substring(0, 26);
    }

    private static Optional<Instant> effective(Resource view) {
        if (view instanceof Observation o && o.hasEffectiveDateTimeType() && o.getEffectiveDateTimeType().hasValue()) {
            return Optional.of(o.getEffectiveDateTimeType().getValue().toInstant());
        }
        if (view instanceof MedicationAdministration m && m.hasEffectiveDateTimeType()
                && m.getEffectiveDateTimeType().hasValue()) {
            return Optional.of(m.getEffectiveDateTimeType().getValue().toInstant());
        }
        return Optional.empty();
    }
}
