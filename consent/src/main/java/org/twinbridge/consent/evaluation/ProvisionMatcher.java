package org.twinbridge.consent.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent.provisionActorComponent;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Consent.provisionDataComponent;
import org.twinbridge.consent.model.PurposeHierarchy;

/**
 * Evaluates the conditions of one provision against one request. Each element the provision states is one
 * condition and all must hold; the values listed inside one element are alternatives. An element the
 * provision leaves out matches everything. Descriptions name kinds of condition, never record content.
 */
final class ProvisionMatcher {

    static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    static final String CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";
    static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";
    static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    static final String MIME_TYPES = "urn:ietf:bcp:13";
    static final String PROFILE_PREFIX = "http://hl7.org/fhir/StructureDefinition/";

    /** A delivery to a twin plugin: the plugin reads the record and uses it inside the node. */
    static final Set<String> DELIVERY_ACTIONS = Set.of("access", "use");
    private static final Set<String> KNOWN_ACTIONS = Set.of("collect", "access", "use", "disclose", "correct");
    /** Participation roles that describe the record (who holds or wrote it), not who receives it. */
    private static final Set<String> AUTHOR_ROLES = Set.of("AUT", "AUTHEN", "ENT", "INF", "LA", "TRANS", "VRF");
    private static final String CUSTODIAN_ROLE = "CST";
    private static final List<String> CONFIDENTIALITY_ORDER = List.of("U", "L", "M", "N", "R", "V");
    private static final Set<String> UNSCOPED_SOURCES = Set.of("file", "import");

    private final ConsentRequest request;
    private final RecordView record;
    private final String consentSource;

    ProvisionMatcher(ConsentRequest request, RecordView record, String consentSource) {
        this.request = request;
        this.record = record;
        this.consentSource = consentSource;
    }

    /**
     * One stated condition.
     *
     * @param description what matched, or for UNKNOWN what could not be told; no PHI
     */
    record Condition(Match match, String description) {
    }

    List<Condition> conditions(ProvisionComponent p) {
        List<Condition> conditions = new ArrayList<>();
        if (p.hasPeriod()) {
            conditions.add(new Condition(Periods.contains(p.getPeriod(), request.at()) ? Match.MATCH : Match.NO_MATCH,
                    ""));
        }
        if (p.hasActor()) {
            conditions.add(actors(p.getActor()));
        }
        if (p.hasAction()) {
            conditions.add(actions(p.getAction()));
        }
        if (p.hasPurpose()) {
            conditions.add(purposes(p.getPurpose()));
        }
        if (p.hasClass_()) {
            conditions.add(classes(p.getClass_()));
        }
        if (p.hasCode()) {
            conditions.add(codes(p.getCode()));
        }
        if (p.hasSecurityLabel()) {
            conditions.add(labels(p.getSecurityLabel()));
        }
        if (p.hasDataPeriod()) {
            conditions.add(record.time.isEmpty()
                    ? new Condition(Match.UNKNOWN, "the data period (the record has no clinical time)")
                    : new Condition(Periods.contains(p.getDataPeriod(), record.time.get()) ? Match.MATCH
                            : Match.NO_MATCH, "data period " + Periods.describe(p.getDataPeriod())));
        }
        if (p.hasData()) {
            conditions.add(data(p.getData()));
        }
        return conditions;
    }

    private Condition actors(List<provisionActorComponent> actors) {
        Match match = Match.NO_MATCH;
        String description = "";
        String unknown = "";
        for (provisionActorComponent actor : actors) {
            String reference = actor.hasReference() && actor.getReference().hasReference()
                    ? RecordView.normalise(actor.getReference().getReference()) : null;
            String role = role(actor.getRole());
            Match one;
            String text;
            if (reference == null) {
                one = Match.UNKNOWN;
                text = "an actor given without a literal reference";
            } else if (CUSTODIAN_ROLE.equals(role)) {
                one = request.custodian().isEmpty() ? Match.UNKNOWN
                        : match(RecordView.normalise(request.custodian().get()).equals(reference));
                text = request.custodian().isEmpty() ? "a custodian actor (no custodian is configured for this "
                        + "record's source)" : "custodian " + reference;
            } else if (role != null && AUTHOR_ROLES.contains(role)) {
                one = record.authors.isEmpty() ? Match.UNKNOWN : match(record.authors.contains(reference));
                text = record.authors.isEmpty() ? "an author actor (the record names no author)"
                        : "author actor " + role;
            } else {
                one = match(request.actors().stream().map(RecordView::normalise).anyMatch(reference::equals));
                text = "actor " + reference;
            }
            if (one == Match.MATCH && match != Match.MATCH) {
                description = text;
            } else if (one == Match.UNKNOWN && unknown.isEmpty()) {
                unknown = text;
            }
            match = match.or(one);
        }
        return new Condition(match, match == Match.UNKNOWN ? unknown : description);
    }

    private static String role(CodeableConcept role) {
        for (Coding coding : role.getCoding()) {
            if ((!coding.hasSystem() || PARTICIPATION.equals(coding.getSystem())) && coding.hasCode()) {
                return coding.getCode();
            }
        }
        return null;
    }

    private static Condition actions(List<CodeableConcept> actions) {
        Match match = Match.NO_MATCH;
        String matched = "";
        for (CodeableConcept action : actions) {
            for (Coding coding : action.getCoding()) {
                boolean ours = !coding.hasSystem() || CONSENT_ACTION.equals(coding.getSystem());
                if (ours && DELIVERY_ACTIONS.contains(coding.getCode())) {
                    match = Match.MATCH;
                    matched = matched.isEmpty() ? "action " + coding.getCode() : matched;
                } else if (!ours || !KNOWN_ACTIONS.contains(coding.getCode())) {
                    match = match.or(Match.UNKNOWN);
                }
            }
        }
        return new Condition(match, match == Match.UNKNOWN ? "an action in an unknown code system" : matched);
    }

    private Condition purposes(List<Coding> purposes) {
        Match match = Match.NO_MATCH;
        String matched = "";
        for (Coding coding : purposes) {
            boolean ours = !coding.hasSystem() || PurposeHierarchy.ACT_REASON.equals(coding.getSystem());
            if (!ours) {
                match = match.or(Match.UNKNOWN);
            } else if (coding.hasCode() && PurposeHierarchy.subsumes(coding.getCode(), request.purpose())) {
                match = Match.MATCH;
                matched = "purpose " + coding.getCode();
            }
        }
        return new Condition(match, match == Match.UNKNOWN ? "a purpose in an unknown code system" : matched);
    }

    private Condition classes(List<Coding> classes) {
        Match match = Match.NO_MATCH;
        for (Coding coding : classes) {
            String code = coding.getCode() == null ? "" : coding.getCode();
            if (!coding.hasSystem() || RESOURCE_TYPES.equals(coding.getSystem())) {
                match = match.or(match(code.equals(record.type)));
            } else if (MIME_TYPES.equals(coding.getSystem())) {
                match = match.or(match(code.startsWith("application/fhir+")));
            } else if (code.startsWith(PROFILE_PREFIX)) {
                match = match.or(code.equals(PROFILE_PREFIX + record.type) || record.profiles.contains(code)
                        ? Match.MATCH : Match.UNKNOWN);
            } else {
                match = match.or(Match.UNKNOWN);
            }
        }
        return new Condition(match, match == Match.UNKNOWN ? "a class in an unknown code system"
                : "class " + record.type);
    }

    private Condition codes(List<CodeableConcept> codes) {
        for (CodeableConcept concept : codes) {
            for (Coding wanted : concept.getCoding()) {
                for (Coding present : record.codings) {
                    if (same(wanted, present)) {
                        return new Condition(Match.MATCH, "a listed code");
                    }
                }
            }
        }
        return new Condition(Match.NO_MATCH, "");
    }

    private Condition labels(List<Coding> labels) {
        Match match = Match.NO_MATCH;
        for (Coding label : labels) {
            if (isConfidentiality(label)) {
                int ceiling = CONFIDENTIALITY_ORDER.indexOf(label.getCode());
                match = match.or(match(ceiling >= 0 && confidentiality() <= ceiling));
            } else {
                match = match.or(match(record.securityLabels.stream().anyMatch(present -> same(label, present))));
            }
        }
        return new Condition(match, "a listed security label");
    }

    /** The record's confidentiality, as an index into U L M N R V; a record without one is normal (N). */
    private int confidentiality() {
        int level = -1;
        for (Coding label : record.securityLabels) {
            if (isConfidentiality(label)) {
                level = Math.max(level, CONFIDENTIALITY_ORDER.indexOf(label.getCode()));
            }
        }
        return level < 0 ? CONFIDENTIALITY_ORDER.indexOf("N") : level;
    }

    private static boolean isConfidentiality(Coding coding) {
        return CONFIDENTIALITY.equals(coding.getSystem())
                || (!coding.hasSystem() && CONFIDENTIALITY_ORDER.contains(coding.getCode()));
    }

    private Condition data(List<provisionDataComponent> data) {
        Match match = Match.NO_MATCH;
        // Literal references in a consent from a connector name that connector's records; a consent from a file
        // or an import by identifier names no particular source and is compared literally.
        boolean sameSource = UNSCOPED_SOURCES.contains(consentSource)
                || request.source().map(consentSource::equals).orElse(true);
        for (provisionDataComponent item : data) {
            if (!item.hasReference() || !item.getReference().hasReference() || !sameSource) {
                continue;
            }
            String reference = RecordView.normalise(item.getReference().getReference());
            boolean self = record.self.map(reference::equals).orElse(false);
            Match one = switch (item.getMeaning() == null ? "related" : item.getMeaning().toCode()) {
                case "instance" -> match(self);
                case "related", "dependents" -> match(self || record.references.contains(reference));
                case "authoredby" -> match(record.authors.contains(reference));
                default -> Match.UNKNOWN;
            };
            match = match.or(one);
        }
        return new Condition(match, match == Match.UNKNOWN ? "a data reference of unknown meaning"
                : "a listed data reference");
    }

    private static boolean same(Coding wanted, Coding present) {
        return wanted.hasCode() && wanted.getCode().equals(present.getCode())
                && (!wanted.hasSystem() || !present.hasSystem() || wanted.getSystem().equals(present.getSystem()));
    }

    private static Match match(boolean holds) {
        return holds ? Match.MATCH : Match.NO_MATCH;
    }
}
