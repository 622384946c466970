package org.twinbridge.runtime.dispatch;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.consent.evaluation.ConsentDecision;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.DecisionPoint;
import org.twinbridge.policy.enforcement.BaselineProjection;
import org.twinbridge.policy.enforcement.Enforcer;
import org.twinbridge.policy.enforcement.ReferenceMapper;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.consent.ConsentGate;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyOwner;
import org.twinbridge.runtime.crypto.Pseudonyms;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.JournalEntry;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.journal.RecordFacts;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * Delivers journalled records to one plugin at a time, in journal order. For each record: is it requested,
 * the decision (and, when the permitting rule requires it, the patient's consent, read at this moment), the
 * projection, the delivery. Each record is one transaction holding the plugin's state writes, its outputs, the
 * cursor move and, last, the decision (a decision_log row and an entry in the audit hash chain), so a crash at
 * any point neither re-delivers nor skips, and nothing is delivered without its audit entry. A plugin that
 * throws gets nothing committed for that record; the failure is recorded (exception type only) and the cursor
 * moves on, so one poison record cannot stall the plugin. Plugin state and outputs are encrypted with the
 * plugin's own data key.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private final Database db;
    private final JdbcJournal journal;
    private final DecisionPoint decisions;
    private final BaselineProjection projection;
    private final Enforcer enforcer;
    private final PatientIndex patients;
    private final Pseudonyms pseudonyms;
    private final DataKeys keys;
    private final AuditTrail audit;
    private final FhirContext fhir;
    private final Clock clock;
    private final ConsentGate consents;

    /** A dispatcher without a consent registry: rules that require consent get the default (deny). */
    public Dispatcher(Database db, JdbcJournal journal, DecisionPoint decisions, PatientIndex patients,
            Pseudonyms pseudonyms, DataKeys keys, AuditTrail audit, FhirContext fhir, Clock clock) {
        this(db, journal, decisions, patients, pseudonyms, keys, audit, fhir, clock,
                ConsentGate.defaultsOnly(ConsentSettings.standard(), fhir, clock));
    }

    /**
     * @param consents checks the patient's consent, at delivery time, for permits of rules that require it
     */
    public Dispatcher(Database db, JdbcJournal journal, DecisionPoint decisions, PatientIndex patients,
            Pseudonyms pseudonyms, DataKeys keys, AuditTrail audit, FhirContext fhir, Clock clock,
            ConsentGate consents) {
        this.db = db;
        this.journal = journal;
        this.decisions = decisions;
        this.projection = new BaselineProjection(fhir);
        this.enforcer = new Enforcer(fhir);
        this.patients = patients;
        this.pseudonyms = pseudonyms;
        this.keys = keys;
        this.audit = audit;
        this.fhir = fhir;
        this.clock = clock;
        this.consents = consents;
    }

    /**
     * Processes up to {@code max} records after the subscriber's cursor.
     *
     * @return how many records were processed (0 when the plugin is caught up)
     */
    public int dispatchBatch(Subscriber subscriber, int max) throws SQLException {
        CursorTable.ensure(db, subscriber.id(), clock);
        List<JournalEntry> entries = db.inTransaction(c ->
                journal.readAfter(c, CursorTable.position(c, subscriber.id()), max));
        for (JournalEntry entry : entries) {
            dispatchOne(subscriber, entry);
        }
        return entries.size();
    }

    private void dispatchOne(Subscriber subscriber, JournalEntry entry) throws SQLException {
        if (!subscriber.wants(entry.resource())) {
            db.inTransaction(c -> CursorTable.advance(c, subscriber.id(), entry.seq(), Outcome.NOT_REQUESTED, clock));
            return;
        }
        Verdict verdict = entry.patientKey().isEmpty()
                ? new Verdict(new Decision.Deny("record is not linked to a patient", List.of(),
                        decisions.policyVersion()), null)
                : decide(subscriber, entry);
        String receiptId = UUID.randomUUID().toString();
        if (verdict.decision() instanceof Decision.Deny deny) {
            db.inTransaction(c -> {
                CursorTable.advance(c, subscriber.id(), entry.seq(), Outcome.DENIED, clock);
                return DecisionLog.insert(c, audit, receiptId, subscriber, entry, deny, "not delivered",
                        Optional.empty(), Optional.ofNullable(verdict.consent()), clock);
            });
            return;
        }
        Decision.Permit permit = (Decision.Permit) verdict.decision();
        try {
            db.inTransaction(c -> deliver(c, subscriber, entry, permit, verdict.consent(), receiptId));
        } catch (PluginFailure failure) {
            LOG.warn("TB-DISPATCH-001 plugin {} failed on journal record {} ({}); recorded and skipped",
                    subscriber.id(), entry.seq(), failure.kind);
            db.inTransaction(c -> {
                FailureTable.insert(c, subscriber.id(), entry.seq(), failure.kind, clock);
                CursorTable.advance(c, subscriber.id(), entry.seq(), Outcome.FAILED, clock);
                return DecisionLog.insert(c, audit, receiptId, subscriber, entry, permit,
                        "failed (" + failure.kind + ")", Optional.empty(), Optional.ofNullable(verdict.consent()),
                        clock);
            });
        }
    }

    /**
     * The policy decision and, for a permit whose rule requires consent, the patient's consent, evaluated now:
     * at delivery, not at ingest, so that a withdrawal also stops records that were already queued.
     */
    private Verdict decide(Subscriber subscriber, JournalEntry entry) throws SQLException {
        Decision decision;
        try {
            decision = decisions.decide(new AccessRequest(subscriber.id(), subscriber.purpose(),
                    entry.resource(), SensitivityLabels.existing(entry.resource())));
        } catch (RuntimeException e) {
            // A decision point that fails must not fail open.
            return new Verdict(new Decision.Deny("policy evaluation failed (" + e.getClass().getSimpleName() + ")",
                    List.of(), decisions.policyVersion()), null);
        }
        if (!(decision instanceof Decision.Permit permit) || !permit.consentRequired()) {
            return new Verdict(decision, null);
        }
        ConsentDecision consent;
        try {
            consent = db.inTransaction(c -> consents.check(c, subscriber.id(), subscriber.purpose(), entry));
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

    /**
     * A decision and, when consent was consulted, what it said (consent ids, versions and provisions, or the
     * default), for the decision log.
     */
    private record Verdict(Decision decision, String consent) {
    }

    /**
     * What the plugin would receive for the journal record at {@code seq} under the active policy, decided and
     * projected exactly as a delivery would be, but without delivering or logging anything. Empty when the
     * record does not exist, is not requested, or is denied.
     */
    public Optional<AuthorisedRecord> preview(Subscriber subscriber, long seq) throws SQLException {
        return db.inTransaction(c -> {
            List<JournalEntry> entries = journal.readAfter(c, seq - 1, 1);
            if (entries.isEmpty() || entries.get(0).seq() != seq || entries.get(0).patientKey().isEmpty()
                    || !subscriber.wants(entries.get(0).resource())) {
                return Optional.<AuthorisedRecord>empty();
            }
            Decision decision = decide(subscriber, entries.get(0)).decision();
            return decision instanceof Decision.Permit permit
                    ? Optional.of(authorise(c, subscriber, entries.get(0), permit, "preview"))
                    : Optional.<AuthorisedRecord>empty();
        });
    }

    /** The pseudonym a plugin knows a patient by: stable per plugin, unlinkable across plugins. */
    public static String subjectOf(Pseudonyms pseudonyms, String pluginId, String patientKey) {
        return pseudonyms.of(domainOf(pluginId), "patient|" + patientKey);
    }

    private static String domainOf(String pluginId) {
        return "recipient|" + pluginId;
    }

    private AuthorisedRecord authorise(Connection c, Subscriber subscriber, JournalEntry entry,
            Decision.Permit decision, String receiptId) throws SQLException {
        String domain = domainOf(subscriber.id());
        String subject = subjectOf(pseudonyms, subscriber.id(), entry.patientKey().orElseThrow());
        Resource view = project(c, entry, domain, subject, decision);
        return new AuthorisedRecord(subject, view, entry.category(), RecordFacts.effectiveTime(view), receiptId,
                decision.policyVersion());
    }

    private Object deliver(Connection c, Subscriber subscriber, JournalEntry entry, Decision.Permit decision,
            String consent, String receiptId) throws SQLException {
        AuthorisedRecord record = authorise(c, subscriber, entry, decision, receiptId);
        RecordCipher pluginKey = keys.forWriting(c, KeyOwner.plugin(subscriber.id()));
        DeliveryContext context = new DeliveryContext(subscriber.id(),
                new JdbcStateStore(c, subscriber.id(), keys, pluginKey), clock);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(subscriber.model().getClass().getClassLoader());
        try {
            subscriber.model().onRecord(record, context);
        } catch (Exception | LinkageError e) {
            throw new PluginFailure(e.getClass().getName());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        for (TwinOutput output : context.outputs()) {
            insertOutput(c, subscriber.id(), receiptId, output, pluginKey);
        }
        CursorTable.advance(c, subscriber.id(), entry.seq(), Outcome.DELIVERED, clock);
        return DecisionLog.insert(c, audit, receiptId, subscriber, entry, decision, "delivered",
                Optional.of(record.subject()), Optional.ofNullable(consent), clock);
    }

    private Resource project(Connection c, JournalEntry entry, String domain, String subject, Decision.Permit permit)
            throws SQLException {
        String viewId = entry.resource() instanceof Patient ? subject
                : pseudonyms.of(domain, "ref|" + entry.connectorId() + "|" + entry.resource().fhirType() + "/"
                        + entry.resource().getIdElement().getIdPart());
        var referenceCache = new java.util.HashMap<String, String>();
        for (String ref : referencedPatients(entry)) {
            patients.resolve(c, entry.connectorId(), ref).ifPresent(key ->
                    referenceCache.put(ref, "Patient/" + pseudonyms.of(domain, "patient|" + key)));
        }
        ReferenceMapper references = reference -> {
            String known = referenceCache.get(reference);
            if (known != null) {
                return known;
            }
            String type = new IdType(reference).getResourceType();
            return (type == null ? "Resource" : type) + "/"
                    + pseudonyms.of(domain, "ref|" + entry.connectorId() + "|" + reference);
        };
        if (permit.obligations().isEmpty()) {
            return projection.project(entry.resource(), viewId, references);
        }
        return enforcer.enforce(entry.resource(), permit.obligations(), new NodeEnforcementContext(pseudonyms,
                domain, references, entry.patientKey().orElseThrow(), viewId, clock));
    }

    private static Set<String> referencedPatients(JournalEntry entry) {
        Set<String> refs = new java.util.HashSet<>();
        for (String name : List.of("subject", "patient")) {
            var property = entry.resource().getNamedProperty(name);
            if (property != null) {
                property.getValues().stream()
                        .filter(org.hl7.fhir.r4.model.Reference.class::isInstance)
                        .map(v -> ((org.hl7.fhir.r4.model.Reference) v).getReferenceElement())
                        .filter(id -> "Patient".equals(id.getResourceType()))
                        .forEach(id -> refs.add("Patient/" + id.getIdPart()));
            }
        }
        return refs;
    }

    private void insertOutput(Connection c, String pluginId, String receiptId, TwinOutput output,
            RecordCipher cipher) throws SQLException {
        byte[] json = fhir.newJsonParser().encodeResourceToString(output.resource()).getBytes(StandardCharsets.UTF_8);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO twin_output (plugin_id, subject, kind, summary, "
                + "receipt_id, payload, created_at, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, pluginId);
            ps.setString(2, output.subject());
            ps.setString(3, output.kind().name());
            ps.setString(4, truncate(output.summary(), 500));
            ps.setString(5, receiptId);
            ps.setBytes(6, cipher.encrypt(json, OutputTable.aad(pluginId, receiptId)));
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            ps.setString(8, cipher.keyId());
            ps.executeUpdate();
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** What happened to one record for one plugin. */
    enum Outcome { DELIVERED, DENIED, NOT_REQUESTED, FAILED }

    /** A plugin threw; carries the exception type only, since messages can echo record content. */
    private static final class PluginFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String kind;

        PluginFailure(String kind) {
            super("plugin failed: " + kind, null, false, false);
            this.kind = kind;
        }
    }
}
