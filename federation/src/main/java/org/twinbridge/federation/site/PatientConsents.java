package org.twinbridge.federation.site;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.consent.evaluation.ConsentDecision;
import org.twinbridge.consent.evaluation.ConsentEvaluator;
import org.twinbridge.consent.evaluation.ConsentRequest;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.explain.ConsentCheck;

/**
 * Each patient's Consents, held by patient reference ({@code Patient/<id>}), evaluated as the node's registry
 * evaluates them: for a site whose records come from files rather than the journal (the federated demo, tests).
 * A record whose patient has no consent gets the settings' default for the purpose. Thread-safe.
 */
public final class PatientConsents implements ConsentCheck {

    private final Map<String, List<RegisteredConsent>> byPatient;
    private final ConsentEvaluator evaluator;
    private final ConsentSettings settings;
    private final Clock clock;

    public PatientConsents(FhirContext fhir, Map<String, List<RegisteredConsent>> byPatient, ConsentSettings settings,
            Clock clock) {
        this.byPatient = Map.copyOf(byPatient);
        this.evaluator = new ConsentEvaluator(fhir, settings.defaults());
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Outcome check(AccessRequest access) {
        List<RegisteredConsent> consents = patientOf(access.resource()).map(p -> byPatient.getOrDefault(p, List.of()))
                .orElse(List.of());
        ConsentDecision decision = evaluator.decide(consents, new ConsentRequest(access.recipient(),
                settings.actorsOf(access.recipient()), access.purpose(), access.resource(), Optional.empty(),
                Optional.empty(), clock.instant()));
        return new Outcome(decision.permitted(), decision.reason());
    }

    /** The record's patient as a reference ({@code Patient/<id>}): the Patient itself, or its subject or patient. */
    public static Optional<String> patientOf(Resource resource) {
        if (resource instanceof Patient) {
            return Optional.of("Patient/" + resource.getIdElement().getIdPart());
        }
        for (String name : List.of("subject", "patient")) {
            Property property = resource.getNamedProperty(name);
            if (property != null) {
                for (Base value : property.getValues()) {
                    if (value instanceof Reference ref && ref.hasReference()) {
                        return Optional.of(ref.getReference());
                    }
                }
            }
        }
        return Optional.empty();
    }
}
