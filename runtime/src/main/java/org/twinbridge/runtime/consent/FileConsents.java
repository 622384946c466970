package org.twinbridge.runtime.consent;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.consent.evaluation.ConsentDecision;
import org.twinbridge.consent.evaluation.ConsentEvaluator;
import org.twinbridge.consent.evaluation.ConsentRequest;
import org.twinbridge.consent.evaluation.ConsentVote;
import org.twinbridge.consent.io.ConsentFiles;
import org.twinbridge.consent.io.ConsentInput;
import org.twinbridge.consent.io.ConsentInputException;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.explain.ConsentCheck;

/**
 * Consents from files, taken to be the patient's, evaluated for {@code policy explain} and {@code policy test}
 * exactly as a node evaluates its registry (source {@code file}, version 1 each). When none applies, the reason
 * also says why each one did not.
 */
public final class FileConsents implements ConsentCheck {

    private final List<RegisteredConsent> consents;
    private final ConsentEvaluator evaluator;
    private final ConsentSettings settings;
    private final Optional<Set<String>> actors;
    private final Optional<String> custodian;
    private final Clock clock;

    private FileConsents(List<RegisteredConsent> consents, FhirContext fhir, ConsentSettings settings,
            Optional<Set<String>> actors, Optional<String> custodian, Clock clock) {
        this.consents = List.copyOf(consents);
        this.evaluator = new ConsentEvaluator(fhir, settings.defaults());
        this.settings = settings;
        this.actors = actors;
        this.custodian = custodian;
        this.clock = clock;
    }

    /**
     * @param actors    the references the recipient is known by; empty for the settings' ({@code Device/<id>})
     * @param custodian the organisation holding the record, if known
     */
    public static FileConsents load(FhirContext fhir, List<Path> files, ConsentSettings settings,
            Optional<Set<String>> actors, Optional<String> custodian, Clock clock) throws ConsentInputException {
        List<RegisteredConsent> consents = new ArrayList<>();
        for (ConsentInput input : new ConsentFiles(fhir).read(files)) {
            String id = input.consent().getIdElement().hasIdPart() ? input.consent().getIdElement().getIdPart()
                    : "unnamed-" + (consents.size() + 1);
            consents.add(new RegisteredConsent("file", "Consent/" + id, 1, input.consent()));
        }
        return new FileConsents(consents, fhir, settings, actors, custodian, clock);
    }

    /** A loader for policy tests: standard settings, the node's clock. */
    public static org.twinbridge.policy.policytest.PolicyTestSuite.ConsentLoader loader(FhirContext fhir,
            Clock clock) {
        return files -> {
            try {
                return load(fhir, files, ConsentSettings.standard(), Optional.empty(), Optional.empty(), clock);
            } catch (ConsentInputException e) {
                throw new IllegalArgumentException(String.join("; ", e.problems()));
            }
        };
    }

    @Override
    public Outcome check(AccessRequest access) {
        ConsentRequest request = new ConsentRequest(access.recipient(),
                actors.orElseGet(() -> settings.actorsOf(access.recipient())), access.purpose(), access.resource(),
                Optional.empty(), custodian, clock.instant());
        ConsentDecision decision = evaluator.decide(consents, request);
        String reason = decision.reason();
        if (decision.byDefault() && !consents.isEmpty()) {
            List<String> why = new ArrayList<>();
            for (RegisteredConsent consent : consents) {
                ConsentVote vote = evaluator.vote(consent, request);
                why.add(vote.reason());
            }
            reason = reason + " (" + String.join("; ", why) + ")";
        }
        return new Outcome(decision.permitted(), reason);
    }
}
