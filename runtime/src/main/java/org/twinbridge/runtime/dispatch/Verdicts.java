package org.twinbridge.runtime.dispatch;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.twinbridge.consent.evaluation.ConsentDecision;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.DecisionPoint;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.consent.ConsentGate;
import org.twinbridge.runtime.journal.JournalEntry;

/**
 * Decides one record for one plugin: the policy decision and, for a permit whose rule requires consent, the
 * patient's consent, evaluated now: at delivery, not at ingest, so that a withdrawal also stops records that were
 * already queued. A decision point or consent that fails denies (never fails open). Thread-safe.
 */
final class Verdicts {

    // Records labelled, by record id and the labels the record carries: labelling (walking every coding against
    // the code lists) was the largest cost of a decision, and every plugin decides the same records. A record id
    // is a hash of the record's source and content, so the same id with the same carried labels is the same
    // labelling input; the policy version the labels were computed under travels with them, and a decision point
    // of another version labels afresh. Bounded: cleared when full, since plugins move through the journal together.
    private static final int LABELLED = 4096;
    private final Map<LabelKey, DecisionPoint.Labels> labelled = new ConcurrentHashMap<>();
    private final DecisionPoint decisions;

    Verdicts(DecisionPoint decisions) {
        this.decisions = decisions;
    }

    private record LabelKey(String recordId, Set<String> carried) {
    }

    String policyVersion() {
        return decisions.policyVersion();
    }

    /** The verdict on the record, with consent read through the transaction's {@code consents}. */
    Verdict of(ConsentGate.InTransaction consents, Subscriber subscriber, JournalEntry entry) throws SQLException {
        if (entry.patientKey().isEmpty()) {
            return new Verdict(new Decision.Deny("record is not linked to a patient", List.of(),
                    decisions.policyVersion()), null);
        }
        Decision decision;
        try {
            AccessRequest request = new AccessRequest(subscriber.id(), subscriber.purpose(), entry.resource(),
                    SensitivityLabels.existing(entry.resource()));
            decision = decisions.decide(request, labels(entry.recordId(), request));
        } catch (RuntimeException e) {
            return new Verdict(new Decision.Deny("policy evaluation failed (" + e.getClass().getSimpleName() + ")",
                    List.of(), decisions.policyVersion()), null);
        }
        if (!(decision instanceof Decision.Permit permit) || !permit.consentRequired()) {
            return new Verdict(decision, null);
        }
        return withConsent(consents, subscriber, entry, permit);
    }

    private DecisionPoint.Labels labels(String recordId, AccessRequest request) {
        LabelKey key = new LabelKey(recordId, request.labels());
        DecisionPoint.Labels known = labelled.get(key);
        if (known != null && known.policyVersion().equals(decisions.policyVersion())) {
            return known;
        }
        DecisionPoint.Labels labels = decisions.labels(request);
        if (labelled.size() >= LABELLED) {
            labelled.clear();
        }
        labelled.put(key, labels);
        return labels;
    }

    /**
     * Whether a permit decided earlier in this dispatch still stands, at commit: the policy set that decided is
     * still the one in force, and, when its rule requires consent, the patient's consent read now says what it
     * said. The policy is not evaluated again: a decision is a function of the policy set, which its version names
     * (a hash of its content, code lists included), and of the record, which the journal never changes; consent is
     * the only input that can change under the same version, so it alone is read and evaluated again.
     */
    boolean stillStands(ConsentGate.InTransaction consents, Subscriber subscriber, JournalEntry entry,
            Verdict verdict) throws SQLException {
        if (!(verdict.decision() instanceof Decision.Permit permit)
                || !permit.policyVersion().equals(decisions.policyVersion())) {
            return false;
        }
        if (!permit.consentRequired()) {
            return verdict.consent() == null;
        }
        return withConsent(consents, subscriber, entry, permit).equals(verdict);
    }

    /** The verdict on a permit whose rule requires consent: the patient's consent, read now, decides. */
    private static Verdict withConsent(ConsentGate.InTransaction consents, Subscriber subscriber, JournalEntry entry,
            Decision.Permit permit) throws SQLException {
        ConsentDecision consent;
        try {
            // On the caller's connection: a dispatch group holds one, and asking the pool for a second per record
            // could exhaust it when many plugins dispatch at once.
            consent = consents.check(subscriber.id(), subscriber.purpose(), entry);
        } catch (RuntimeException e) {
            // An unreadable consent (e.g. a payload that fails authentication) must not fail open either.
            return new Verdict(new Decision.Deny("consent evaluation failed (" + e.getClass().getSimpleName() + ")",
                    permit.rules(), permit.policyVersion()), "consent evaluation failed");
        }
        if (consent instanceof ConsentDecision.Deny refused) {
            return new Verdict(new Decision.Deny("the permitting rule requires patient consent, and consent denies: "
                    + refused.reason(), permit.rules(), permit.policyVersion()), refused.reason());
        }
        return new Verdict(permit, consent.reason());
    }
}
