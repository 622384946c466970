package org.twinbridge.consent.evaluation;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.twinbridge.consent.model.ConsentDefaults;
import org.twinbridge.consent.model.Effect;
import org.twinbridge.consent.model.PurposeHierarchy;
import org.twinbridge.consent.model.RegisteredConsent;

/**
 * Evaluates a patient's FHIR R4 Consents for one access, with these semantics:
 *
 * <ol>
 *   <li>Only {@code active} consents count; draft, proposed, rejected, inactive and entered-in-error abstain.</li>
 *   <li>The scope must cover the purpose: {@code patient-privacy} covers every purpose, {@code research} the
 *       HRESCH family, {@code treatment} the TREAT family, {@code adr} none.</li>
 *   <li>The root provision is the base rule. Its {@code type} is the base effect; without one, the base comes
 *       from {@code policyRule} (OPTIN, OPTINR permit; OPTOUT, OPTOUTE deny), and failing that it is deny.
 *       The root's own conditions (period, actor, purpose, ...) say which accesses the consent speaks to at
 *       all: outside them it abstains.</li>
 *   <li>Nested provisions are exceptions, recursively: one that matches sets the effect to its own type
 *       (deny-overrides among siblings). A nested provision without a type is read as deny.</li>
 *   <li>A condition this node cannot evaluate ({@link Match#UNKNOWN}) makes a denying provision apply and a
 *       permitting one not apply.</li>
 * </ol>
 *
 * Several consents combine through {@link ConsentVotes#combine}. Thread-safe and side-effect free.
 */
public final class ConsentEvaluator {

    static final String CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private final FhirContext fhir;
    private final ConsentDefaults defaults;

    public ConsentEvaluator(FhirContext fhir, ConsentDefaults defaults) {
        this.fhir = Objects.requireNonNull(fhir, "fhir");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    /** Decides one access under all of the patient's consents (the current version of each). */
    public ConsentDecision decide(List<RegisteredConsent> consents, ConsentRequest request) {
        RecordView record = RecordView.of(fhir, request.resource());
        List<ConsentVote> votes = new ArrayList<>();
        for (RegisteredConsent consent : consents) {
            votes.add(vote(consent, request, record));
        }
        return ConsentVotes.combine(votes, request.purpose(), defaults);
    }

    /** What one consent says about one access. */
    public ConsentVote vote(RegisteredConsent consent, ConsentRequest request) {
        return vote(consent, request, RecordView.of(fhir, request.resource()));
    }

    private ConsentVote vote(RegisteredConsent registered, ConsentRequest request, RecordView record) {
        Consent consent = registered.resource();
        String label = registered.label();
        if (consent.getStatus() != ConsentState.ACTIVE) {
            return new ConsentVote.Abstains(label, "its status is " + (consent.getStatus() == null
                    ? "missing" : consent.getStatus().toCode()));
        }
        ScopeMatch scope = scope(consent, request.purpose());
        if (scope.match() == Match.NO_MATCH) {
            return new ConsentVote.Abstains(label, "its scope (" + scope.description() + ") does not cover purpose "
                    + request.purpose());
        }
        ProvisionComponent root = consent.hasProvision() ? consent.getProvision() : new ProvisionComponent();
        if (root.hasPeriod() && !Periods.contains(root.getPeriod(), request.at())) {
            return new ConsentVote.Abstains(label, "its period " + Periods.describe(root.getPeriod())
                    + " does not include the time of access");
        }
        Base base = base(consent);
        ProvisionMatcher matcher = new ProvisionMatcher(request, record, registered.source());
        Optional<Outcome> outcome = evaluate(root, "provision", base.effect(), base.note(), scope, matcher);
        if (outcome.isEmpty()) {
            return new ConsentVote.Abstains(label, "its provision does not match this access");
        }
        Outcome o = outcome.get();
        return new ConsentVote.Applies(new ConsentCitation(label, registered.consentId(), registered.version(),
                o.path(), o.effect(), o.matched()));
    }

    private Optional<Outcome> evaluate(ProvisionComponent p, String path, Effect effect, String note, ScopeMatch scope,
            ProvisionMatcher matcher) {
        Match match = scope.match();
        List<String> matched = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        if (scope.match() == Match.UNKNOWN) {
            unknown.add(scope.description());
        }
        for (ProvisionMatcher.Condition condition : matcher.conditions(p)) {
            match = match.and(condition.match());
            if (condition.match() == Match.MATCH && !condition.description().isEmpty()) {
                matched.add(condition.description());
            } else if (condition.match() == Match.UNKNOWN) {
                unknown.add(condition.description());
            }
        }
        if (match == Match.NO_MATCH || (match == Match.UNKNOWN && effect == Effect.PERMIT)) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(String.join(", ", matched));
        if (match == Match.UNKNOWN) {
            // Only a deny gets here. Its exceptions are not consulted: a permit inside a rule that may not apply
            // must not grant what the default might refuse.
            text.append(matched.isEmpty() ? ": " : "; ").append("assumed to apply, because it denies and this node "
                    + "cannot tell about ").append(String.join(", ", unknown));
            return Optional.of(new Outcome(effect, path, withNote(text, note)));
        }
        if (matched.isEmpty()) {
            text.append("everything in scope");
        }
        List<Outcome> exceptions = new ArrayList<>();
        List<ProvisionComponent> nested = p.getProvision();
        for (int i = 0; i < nested.size(); i++) {
            ProvisionComponent child = nested.get(i);
            boolean typed = child.hasType() && child.getType() != ConsentProvisionType.NULL;
            Effect childEffect = !typed ? Effect.DENY
                    : child.getType() == ConsentProvisionType.PERMIT ? Effect.PERMIT : Effect.DENY;
            String childNote = typed ? "" : "it has no type, which R4 requires of nested provisions; read as deny";
            evaluate(child, path + ".provision[" + i + "]", childEffect, childNote, ScopeMatch.ANY, matcher)
                    .ifPresent(exceptions::add);
        }
        Optional<Outcome> deny = exceptions.stream().filter(o -> o.effect() == Effect.DENY).findFirst();
        if (deny.isPresent()) {
            return deny;
        }
        if (!exceptions.isEmpty()) {
            return Optional.of(exceptions.get(0));
        }
        return Optional.of(new Outcome(effect, path, withNote(text, note)));
    }

    private static String withNote(StringBuilder text, String note) {
        return note.isEmpty() ? text.toString() : text.append(" [").append(note).append(']').toString();
    }

    /** The base effect: the root's type, else the policy rule, else deny. */
    private static Base base(Consent consent) {
        if (consent.hasProvision() && consent.getProvision().hasType()
                && consent.getProvision().getType() != ConsentProvisionType.NULL) {
            return new Base(consent.getProvision().getType() == ConsentProvisionType.PERMIT ? Effect.PERMIT
                    : Effect.DENY, "");
        }
        for (Coding coding : consent.getPolicyRule().getCoding()) {
            if (!coding.hasSystem() || ACT_CODE.equals(coding.getSystem())) {
                String code = coding.getCode();
                if ("OPTIN".equals(code) || "OPTINR".equals(code)) {
                    return new Base(Effect.PERMIT, "base policy from policyRule " + code);
                }
                if ("OPTOUT".equals(code) || "OPTOUTE".equals(code)) {
                    return new Base(Effect.DENY, "base policy from policyRule " + code);
                }
            }
        }
        return new Base(Effect.DENY, "no provision.type and no OPTIN/OPTOUT policyRule, so the base is deny");
    }

    private static ScopeMatch scope(Consent consent, String purpose) {
        for (Coding coding : consent.getScope().getCoding()) {
            if (coding.hasSystem() && !CONSENT_SCOPE.equals(coding.getSystem())) {
                continue;
            }
            String code = coding.getCode() == null ? "" : coding.getCode();
            switch (code) {
                case "patient-privacy":
                    return new ScopeMatch(Match.MATCH, code);
                case "research":
                    return new ScopeMatch(PurposeHierarchy.subsumes("HRESCH", purpose) ? Match.MATCH : Match.NO_MATCH,
                            code);
                case "treatment":
                    return new ScopeMatch(PurposeHierarchy.subsumes("TREAT", purpose) ? Match.MATCH : Match.NO_MATCH,
                            code);
                case "adr":
                    return new ScopeMatch(Match.NO_MATCH, code);
                default:
                    break;
            }
        }
        return new ScopeMatch(Match.UNKNOWN, "a scope this node does not know");
    }

    private record Base(Effect effect, String note) {
    }

    private record ScopeMatch(Match match, String description) {
        static final ScopeMatch ANY = new ScopeMatch(Match.MATCH, "");
    }

    private record Outcome(Effect effect, String path, String matched) {
    }
}
