package org.twinbridge.sdk.testing;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.explain.ConsentCheck;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.policy.model.PurposeOfUse;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.policy.view.RecipientViews;
import org.twinbridge.policy.view.RecordFacts;
import org.twinbridge.policy.view.RequestedRecords;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * <b>For testing only: the plugin runs in the caller's JVM, unisolated and unsandboxed</b> (a node runs every
 * plugin in a sandboxed process of its own, so this harness does not show a plugin that reaches for files, the
 * network or the environment failing as it would in a node).
 *
 * <p>Runs a twin plugin over FHIR records in process, without a node, the way a node would deliver them, and
 * returns what it emitted: the vendor's unit-test harness (and the engine of {@code twinbridge twin run}).
 *
 * <p>For each record, in order of effective time (records without one first, in input order):
 * <ol>
 *   <li>Records the manifest does not ask for are never offered ({@link Delivery.Outcome#NOT_REQUESTED}).</li>
 *   <li>Records that name no patient ({@code subject} or {@code patient}, or a Patient itself) are denied, as a
 *       node denies unlinked records.</li>
 *   <li>With a policy set: the set's sensitivity labels are applied, its decision point decides for the plugin
 *       id and purpose, and a permit whose rule requires consent asks the {@link ConsentCheck} (default: no
 *       consent given). The view is built by the same code the node uses, obligations and all.</li>
 *   <li>Without one: the plugin gets exactly what its manifest requests, with the node's baseline projection
 *       (identifiers, narrative, extensions and free text dropped, references pseudonymised).</li>
 *   <li>The plugin's state writes and outputs of one record are kept only if it returns normally.</li>
 * </ol>
 * Subjects and references are pseudonymised with a fixed preview key: stable between runs, shaped like a
 * node's, but not the pseudonyms any node would give. State persists across {@link #feed} calls on one harness,
 * as in a node. Not thread-safe; a plugin is called from one thread, as in a node.
 */
public final class TwinHarness {

    private static final String NO_POLICY_VERSION = "manifest-request";
    private final TwinModel model;
    private final PluginManifest manifest;
    private final Optional<PolicyDecisionPoint> policies;
    private final String purpose;
    private final ConsentCheck consent;
    private final Clock clock;
    private final FhirContext fhir = FhirContext.forR4Cached();
    private final RecipientViews views = new RecipientViews(fhir);
    private final HarnessContext context;

    private TwinHarness(Builder builder) {
        this.model = builder.model;
        this.manifest = model.manifest();
        this.policies = Optional.ofNullable(builder.policies).map(PolicyDecisionPoint::new);
        this.purpose = builder.purpose != null ? builder.purpose
                : manifest.request().purposes().stream().sorted().findFirst().orElseThrow();
        this.consent = builder.consent;
        this.clock = builder.clock;
        this.context = new HarnessContext(manifest.id(), clock);
    }

    /** Starts configuring a harness for a plugin instance (for example {@code new MyTwin()}). */
    public static Builder forPlugin(TwinModel model) {
        return new Builder(model);
    }

    /** Reads FHIR files (resources, Bundles, NDJSON) and feeds their records; see {@link FhirRecords}. */
    public HarnessRun feedFiles(List<Path> files) throws FhirRecords.RecordFileException {
        return feed(FhirRecords.read(fhir, files));
    }

    /** Feeds records in order of effective time and returns what happened to each. */
    public HarnessRun feed(List<? extends Resource> records) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> RecordFacts.effectiveTime(records.get(i)).orElse(Instant.MIN)));
        List<Delivery> deliveries = new ArrayList<>();
        for (int i : order) {
            deliveries.add(deliver(i, records.get(i)));
        }
        return new HarnessRun(deliveries);
    }

    private Delivery deliver(int index, Resource source) {
        String type = source.fhirType();
        if (!RequestedRecords.wants(manifest.request(), source)) {
            return new Delivery(index, type, Delivery.Outcome.NOT_REQUESTED, Optional.empty(), Optional.empty(),
                    List.of());
        }
        Optional<String> patient = patientOf(source);
        if (patient.isEmpty()) {
            return denied(index, type, "record is not linked to a patient", Optional.empty());
        }
        String subject = HarnessEnforcementContext.subjectOf(manifest.id(), patient.get());
        Resource labelled = source.copy();
        Decision decision = decide(labelled);
        if (!(decision instanceof Decision.Permit permit)) {
            return denied(index, type, ((Decision.Deny) decision).reason(), Optional.of(subject));
        }
        Map<String, String> patientRefs = new HashMap<>();
        RecipientViews.referencedPatients(labelled).forEach(ref ->
                patientRefs.put(ref, "Patient/" + HarnessEnforcementContext.subjectOf(manifest.id(), ref)));
        String viewId = labelled instanceof Patient ? subject
                : HarnessEnforcementContext.subjectOf(manifest.id(), "ref|" + type + "/"
                        + labelled.getIdElement().getIdPart() + "|" + index);
        Resource view = views.build(labelled, permit, new HarnessEnforcementContext(manifest.id(), patient.get(),
                patientRefs, viewId, LocalDate.now(clock.withZone(ZoneOffset.UTC))));
        AuthorisedRecord record = new AuthorisedRecord(subject, view, RecordFacts.category(labelled),
                RecordFacts.effectiveTime(view), UUID.randomUUID().toString(), permit.policyVersion());
        try {
            model.onRecord(record, context);
        } catch (Exception | LinkageError e) {
            context.rollback();
            return new Delivery(index, type, Delivery.Outcome.FAILED, Optional.of(e.getClass().getName()),
                    Optional.of(subject), List.of());
        }
        return new Delivery(index, type, Delivery.Outcome.DELIVERED, Optional.empty(), Optional.of(subject),
                context.commit());
    }

    /** Labels the record in place (as a node does at ingest), then decides; consent only where a rule asks. */
    private Decision decide(Resource record) {
        if (policies.isEmpty()) {
            return new Decision.Permit(List.of("manifest-request:" + manifest.id()), NO_POLICY_VERSION);
        }
        PolicyDecisionPoint pdp = policies.get();
        Set<String> labels = pdp.policySet().labels().apply(fhir, record);
        AccessRequest request = new AccessRequest(manifest.id(), purpose, record, labels);
        Decision decision;
        try {
            decision = pdp.decide(request);
        } catch (RuntimeException e) {
            return new Decision.Deny("policy evaluation failed (" + e.getClass().getSimpleName() + ")", List.of(),
                    pdp.policyVersion());
        }
        if (decision instanceof Decision.Permit permit && permit.consentRequired()) {
            ConsentCheck.Outcome outcome = consent.check(request);
            if (!outcome.permitted()) {
                return new Decision.Deny("the permitting rule requires patient consent, and consent denies: "
                        + outcome.reason(), permit.rules(), permit.policyVersion());
            }
        }
        return decision;
    }

    private static Delivery denied(int index, String type, String reason, Optional<String> subject) {
        return new Delivery(index, type, Delivery.Outcome.DENIED, Optional.of(reason), subject, List.of());
    }

    private static Optional<String> patientOf(Resource resource) {
        if (resource instanceof Patient) {
            return Optional.of("Patient/" + resource.getIdElement().getIdPart());
        }
        return RecipientViews.referencedPatients(resource).stream().findFirst();
    }

    /**
     * Erases a subject as a node does after consent withdrawal or erasure: calls {@code onErase}, then drops
     * the subject's state. Returns whether the plugin's {@code onErase} returned normally.
     */
    public boolean erase(String subject) {
        try {
            model.onErase(subject, context);
            context.commit();
        } catch (Exception | LinkageError e) {
            context.rollback();
            context.dropSubject(subject);
            return false;
        }
        context.dropSubject(subject);
        return true;
    }

    /** The subject pseudonym this harness gives a patient reference such as {@code Patient/123}. */
    public String subjectOf(String patientReference) {
        return HarnessEnforcementContext.subjectOf(manifest.id(), patientReference);
    }

    /** A committed state value of the plugin. */
    public Optional<String> state(String subject, String key) {
        return context.committedValue(subject, key);
    }

    /** The committed state keys of a subject. */
    public Set<String> stateKeys(String subject) {
        return context.keys(subject);
    }

    /** The plugin's manifest. */
    public PluginManifest manifest() {
        return manifest;
    }

    /** The purpose of use the plugin is run under. */
    public String purpose() {
        return purpose;
    }

    /** Whether a policy set decides (otherwise the manifest request does). */
    public boolean hasPolicies() {
        return policies.isPresent();
    }

    /** The outputs of a run that the harness would print as NDJSON, one compact FHIR JSON resource each. */
    public List<String> ndjson(HarnessRun run) {
        return run.outputs().stream().map(TwinOutput::resource)
                .map(r -> fhir.newJsonParser().setPrettyPrint(false).encodeResourceToString(r)).toList();
    }

    /** Configures a {@link TwinHarness}. */
    public static final class Builder {
        private final TwinModel model;
        private PolicySet policies;
        private String purpose;
        private ConsentCheck consent = request -> new ConsentCheck.Outcome(false, "no consent was given to the "
                + "harness (pass one with consent(...))");
        private Clock clock = Clock.systemUTC();

        private Builder(TwinModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Decides with the policy set in {@code dir}, as a node with {@code policies.dir} would. */
        public Builder policies(Path dir) throws PolicyException {
            this.policies = new PolicyLoader(FhirContext.forR4Cached()).load(dir);
            return this;
        }

        /** Decides with an already loaded policy set. */
        public Builder policies(PolicySet set) {
            this.policies = Objects.requireNonNull(set, "set");
            return this;
        }

        /**
         * The purpose of use (HL7 v3 PurposeOfUse, e.g. {@code TREAT}); default: the manifest's first purpose in
         * alphabetical order, as in a node without {@code policies.purposes}.
         */
        public Builder purpose(String code) {
            if (!PurposeOfUse.isKnown(code)) {
                throw new IllegalArgumentException("unknown purpose of use '" + code + "'; expected one of: "
                        + String.join(", ", new java.util.TreeSet<>(PurposeOfUse.CODES)));
            }
            this.purpose = code;
            return this;
        }

        /** What the patient's consent says, for rules that require it; default: no consent given. */
        public Builder consent(ConsentCheck check) {
            this.consent = Objects.requireNonNull(check, "check");
            return this;
        }

        /** The clock behind {@code TwinContext.now()}; default: the system clock, as in a node. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public TwinHarness build() {
            return new TwinHarness(this);
        }
    }
}
