package org.twinbridge.runtime.dispatch;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.deadletter.DeliveryFailure;
import org.twinbridge.runtime.deadletter.Redelivery;
import org.twinbridge.runtime.deadletter.Replay;
import org.twinbridge.runtime.deadletter.ParkedDeliveries;
import org.twinbridge.runtime.retry.RetryPolicy;
import org.twinbridge.consent.evaluation.ConsentDecision;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.DecisionPoint;
import org.twinbridge.policy.enforcement.ReferenceMapper;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.policy.view.RecipientViews;
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
 * projection, the delivery. Each record's plugin state writes, outputs, cursor move and decision (a decision_log
 * row and an entry in the audit hash chain) commit together or not at all (records are committed in groups, each
 * record behind its own savepoint), so a crash at any point neither re-delivers nor skips, and nothing is
 * delivered without its audit entry. A plugin that
 * throws gets nothing committed for that record; the record is tried again after a backoff ({@link RetryPolicy},
 * kept by {@link RetrySchedule} without holding a thread), and after the last attempt it is parked in the
 * plugin's dead-letter list ({@link ParkedDeliveries}, exception type and failure kind only) and the cursor
 * moves on, so one poison record cannot stall the plugin for long. A parked record can be replayed through the
 * whole decision path ({@link #replay}). Backlogs are read from the journal a page at a time; what is held on
 * the heap is counted by {@link #inFlight()}. Plugin state and outputs are encrypted with the plugin's own data
 * key.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    // Records per transaction. Bounded because a group holds the audit chain's lock from its appends to its
    // commit, and other plugins' groups wait for it meanwhile.
    private static final int GROUP = 50;
    private final Database db;
    private final JdbcJournal journal;
    private final DecisionPoint decisions;
    private final RecipientViews views;
    private final PatientIndex patients;
    private final Pseudonyms pseudonyms;
    private final DataKeys keys;
    private final AuditTrail audit;
    private final FhirContext fhir;
    private final Clock clock;
    private final ConsentGate consents;
    private final RetryPolicy retry;
    private final RetrySchedule retries = new RetrySchedule();
    private final InFlightRecords inFlight = new InFlightRecords();

    /**
     * The dispatcher's options.
     *
     * @param clock    stamps decisions, cursors and parked deliveries
     * @param consents checks the patient's consent, at delivery time, for permits of rules that require it
     * @param retry    how often a delivery that throws is tried before the record is parked
     */
    public record Settings(Clock clock, ConsentGate consents, RetryPolicy retry) {
        public Settings {
            java.util.Objects.requireNonNull(clock, "clock");
            java.util.Objects.requireNonNull(consents, "consents");
            java.util.Objects.requireNonNull(retry, "retry");
        }

        /** The standard consent defaults without a registry, and the default retry policy. */
        public static Settings defaults(FhirContext fhir, Clock clock) {
            return new Settings(clock, ConsentGate.defaultsOnly(ConsentSettings.standard(), fhir, clock),
                    RetryPolicy.DEFAULT);
        }

        public Settings withConsents(ConsentGate gate) {
            return new Settings(clock, gate, retry);
        }

        public Settings withRetry(RetryPolicy policy) {
            return new Settings(clock, consents, policy);
        }
    }

    public Dispatcher(Database db, JdbcJournal journal, DecisionPoint decisions, PatientIndex patients,
            Pseudonyms pseudonyms, DataKeys keys, AuditTrail audit, FhirContext fhir, Settings settings) {
        this.retry = settings.retry();
        this.db = db;
        this.journal = journal;
        this.decisions = decisions;
        this.views = new RecipientViews(fhir);
        this.patients = patients;
        this.pseudonyms = pseudonyms;
        this.keys = keys;
        this.audit = audit;
        this.fhir = fhir;
        this.clock = settings.clock();
        this.consents = settings.consents();
    }

    /**
     * Processes up to {@code max} records after the subscriber's cursor, {@value #GROUP} to a transaction (group
     * commit). Each record's state writes, outputs, cursor move and decision are still all-or-nothing: a plugin
     * that throws is rolled back to a savepoint taken before its record, and a database failure rolls back the
     * whole group, cursor included, so the group is processed again (plugin state lives in the same transaction,
     * so nothing is applied twice). Decisions are appended to the audit chain together at the end of the group,
     * so the chain's lock is held only for those appends and the commit, not while plugins run. A delivery that
     * throws ends the batch at its record, without moving the cursor past it, until its retry is due; after the
     * last attempt the record is parked and the cursor moves on.
     *
     * @return how many records were processed (0 when the plugin is caught up or waiting out a retry's backoff)
     */
    public int dispatchBatch(Subscriber subscriber, int max) throws SQLException {
        if (subscriber.model() instanceof Supervised supervised && !supervised.ready()) {
            return 0; // its process is restarting; no record is attempted meanwhile
        }
        if (retries.of(subscriber.id()).filter(p -> clock.instant().isBefore(p.notBefore())).isPresent()) {
            return 0;
        }
        CursorTable.ensure(db, subscriber.id(), clock);
        List<JournalEntry> entries = db.inTransaction(c ->
                journal.readAfter(c, CursorTable.position(c, subscriber.id()), max));
        inFlight.add(entries.size());
        try {
            int processed = 0;
            for (int from = 0; from < entries.size(); from += GROUP) {
                List<JournalEntry> group = entries.subList(from, Math.min(entries.size(), from + GROUP));
                int done = dispatchGroup(subscriber, group);
                processed += done;
                if (done < group.size()) {
                    return processed; // a record waits for its retry
                }
            }
            return processed;
        } finally {
            inFlight.remove(entries.size());
        }
    }

    /** Journal records held on the heap by deliveries in progress; bounded by the page size per plugin. */
    public InFlightRecords inFlight() {
        return inFlight;
    }

    /** @return how many of the group's records were processed; fewer than all when one waits for a retry */
    private int dispatchGroup(Subscriber subscriber, List<JournalEntry> group) throws SQLException {
        List<FailedDelivery> failures = new ArrayList<>();
        int processed = db.inTransaction(c -> {
            DeferredDecisions chain = new DeferredDecisions(audit);
            PluginKey pluginKey = new PluginKey(subscriber.id());
            CursorTable.Move cursor = new CursorTable.Move(subscriber.id());
            int done = 0;
            for (JournalEntry entry : group) {
                Optional<FailedDelivery> failure = dispatchOne(c, chain, cursor, pluginKey, subscriber, entry);
                failure.ifPresent(failures::add);
                if (failure.isPresent() && !failure.get().parked()) {
                    break;
                }
                done++;
            }
            cursor.apply(c, clock);
            chain.flush(c);
            return done;
        });
        // Retry bookkeeping and logs only after the commit, so a group that is rolled back and processed again
        // neither counts an attempt twice nor logs its failures twice.
        if (failures.isEmpty() && processed > 0) {
            retries.clear(subscriber.id());
        }
        for (FailedDelivery failed : failures) {
            if (failed.parked()) {
                LOG.warn("TB-DISPATCH-003 plugin {} failed on journal record {} ({}) in all {} attempt(s); parked in "
                        + "its dead-letter list, moving on", subscriber.id(), failed.seq(), failed.failure().describe(),
                        failed.attempt());
                retries.clear(subscriber.id());
            } else {
                java.time.Duration pause = retry.backoffAfter(failed.attempt());
                LOG.warn("TB-DISPATCH-001 plugin {} failed on journal record {} ({}), attempt {} of {}; retrying in {}",
                        subscriber.id(), failed.seq(), failed.failure().describe(), failed.attempt(), retry.attempts(),
                        pause);
                retries.failed(subscriber.id(), failed.seq(), failed.attempt(), clock.instant().plus(pause));
            }
        }
        return processed;
    }

    /** A delivery that threw: parked after its last attempt, or waiting for the next one. */
    private record FailedDelivery(long seq, DeliveryFailure failure, int attempt, boolean parked) {
    }

    /** The plugin's data key, looked up (or created) once per group, on first use. */
    private final class PluginKey {
        private final String pluginId;
        private RecordCipher cipher;

        PluginKey(String pluginId) {
            this.pluginId = pluginId;
        }

        RecordCipher get(Connection c) throws SQLException {
            if (cipher == null) {
                cipher = keys.forWriting(c, KeyOwner.plugin(pluginId));
            }
            return cipher;
        }
    }

    private Optional<FailedDelivery> dispatchOne(Connection c, DeferredDecisions chain, CursorTable.Move cursor,
            PluginKey pluginKey, Subscriber subscriber, JournalEntry entry) throws SQLException {
        if (!subscriber.wants(entry.resource())) {
            cursor.passed(entry.seq(), Outcome.NOT_REQUESTED);
            return Optional.empty();
        }
        Verdict verdict = entry.patientKey().isEmpty()
                ? new Verdict(new Decision.Deny("record is not linked to a patient", List.of(),
                        decisions.policyVersion()), null)
                : decide(c, subscriber, entry);
        String receiptId = UUID.randomUUID().toString();
        if (verdict.decision() instanceof Decision.Deny deny) {
            cursor.passed(entry.seq(), Outcome.DENIED);
            chain.write(c, DecisionLog.entry(receiptId, subscriber, entry, deny, "not delivered",
                    Optional.empty(), Optional.ofNullable(verdict.consent()), clock));
            return Optional.empty();
        }
        Decision.Permit permit = (Decision.Permit) verdict.decision();
        // Fetched before the record's savepoint: a key created inside one that is rolled back must not be used.
        RecordCipher key = pluginKey.get(c);
        Savepoint beforeRecord = c.setSavepoint();
        int pendingDecisions = chain.size();
        try {
            deliver(c, chain, key, subscriber, entry, permit, verdict.consent(), receiptId, "delivered");
            c.releaseSavepoint(beforeRecord);
            cursor.passed(entry.seq(), Outcome.DELIVERED);
            return Optional.empty();
        } catch (PluginFailure failure) {
            c.rollback(beforeRecord);
            chain.truncate(pendingDecisions);
            int attempt = retries.failuresSoFar(subscriber.id(), entry.seq()) + 1;
            if (!retry.exhausted(attempt)) {
                return Optional.of(new FailedDelivery(entry.seq(), failure.failure, attempt, false));
            }
            ParkedDeliveries.park(c, subscriber.id(), entry.seq(), failure.failure, attempt, clock);
            cursor.passed(entry.seq(), Outcome.FAILED);
            chain.write(c, DecisionLog.entry(receiptId, subscriber, entry, permit,
                    "parked (" + failure.failure.describe() + ")", Optional.empty(),
                    Optional.ofNullable(verdict.consent()), clock));
            return Optional.of(new FailedDelivery(entry.seq(), failure.failure, attempt, true));
        }
    }

    /** Replays to the given loaded plugins, for the dead-letter service. */
    public Redelivery redelivery(List<Subscriber> subscribers) {
        Map<String, Subscriber> byId = new java.util.TreeMap<>();
        subscribers.forEach(s -> byId.put(s.id(), s));
        return new Redelivery() {
            @Override
            public Set<String> plugins() {
                return java.util.Collections.unmodifiableSet(byId.keySet());
            }

            @Override
            public Replay replay(String pluginId, long parkedId) throws SQLException {
                Subscriber subscriber = byId.get(pluginId);
                if (subscriber == null) {
                    throw new IllegalArgumentException("plugin " + pluginId + " is not loaded here");
                }
                return Dispatcher.this.replay(subscriber, parkedId);
            }
        };
    }

    /**
     * Delivers a parked record to its plugin once more, through the whole path (is it still requested, the
     * decision and consent as of now, the projection), as one transaction that also marks the parked row
     * replayed; a concurrent second replay of the same row rolls back. The cursor does not move: it passed the
     * record when it was parked. A delivery that throws again leaves the record parked, one attempt more.
     *
     * @param parkedId the parked row, as {@link ParkedDeliveries#list} shows it
     */
    public Replay replay(Subscriber subscriber, long parkedId) throws SQLException {
        Optional<ParkedDeliveries.Parked> row = db.inTransaction(c -> ParkedDeliveries.find(c, parkedId));
        if (row.isEmpty() || row.get().status() != ParkedDeliveries.Status.PARKED
                || !row.get().pluginId().equals(subscriber.id())) {
            return new Replay.NotParked();
        }
        long seq = row.get().journalSeq();
        List<JournalEntry> found = db.inTransaction(c -> journal.readAfter(c, seq - 1, 1));
        String receiptId = UUID.randomUUID().toString();
        if (found.isEmpty() || found.get(0).seq() != seq) {
            // Erased (its patient's key destroyed): there is nothing left to deliver.
            return resolveWithout(parkedId, new Replay.RecordGone());
        }
        JournalEntry entry = found.get(0);
        if (!subscriber.wants(entry.resource())) {
            return resolveWithout(parkedId, new Replay.NotRequested());
        }
        Verdict verdict = entry.patientKey().isEmpty()
                ? new Verdict(new Decision.Deny("record is not linked to a patient", List.of(),
                        decisions.policyVersion()), null)
                : db.inTransaction(c -> decide(c, subscriber, entry));
        if (verdict.decision() instanceof Decision.Deny deny) {
            return db.inTransaction(c -> {
                if (!ParkedDeliveries.resolve(c, parkedId, ParkedDeliveries.Status.REPLAYED, clock)) {
                    return new Replay.NotParked();
                }
                DecisionLog.immediate(audit).write(c, DecisionLog.entry(receiptId, subscriber, entry, deny,
                        "not delivered (replay)", Optional.empty(), Optional.ofNullable(verdict.consent()), clock));
                return new Replay.Denied(deny.reason());
            });
        }
        Decision.Permit permit = (Decision.Permit) verdict.decision();
        try {
            db.inTransaction(c -> {
                // Marked replayed first, in the same transaction: a concurrent second replay fails here, before
                // its plugin runs, and anything that fails later rolls the mark back with the delivery.
                if (!ParkedDeliveries.resolve(c, parkedId, ParkedDeliveries.Status.REPLAYED, clock)) {
                    throw new ReplayRaced(parkedId);
                }
                deliver(c, DecisionLog.immediate(audit), keys.forWriting(c, KeyOwner.plugin(subscriber.id())),
                        subscriber, entry, permit, verdict.consent(), receiptId, "delivered (replay)");
                return null;
            });
            return new Replay.Delivered(receiptId);
        } catch (ReplayRaced raced) {
            return new Replay.NotParked();
        } catch (PluginFailure failure) {
            db.inTransaction(c -> {
                ParkedDeliveries.park(c, subscriber.id(), entry.seq(), failure.failure, 1, clock);
                DecisionLog.immediate(audit).write(c, DecisionLog.entry(receiptId, subscriber, entry, permit,
                        "parked again (" + failure.failure.describe() + ")", Optional.empty(),
                        Optional.ofNullable(verdict.consent()), clock));
                return null;
            });
            return new Replay.FailedAgain(failure.failure);
        }
    }

    private Replay resolveWithout(long parkedId, Replay outcome) throws SQLException {
        return db.inTransaction(c -> ParkedDeliveries.resolve(c, parkedId, ParkedDeliveries.Status.REPLAYED, clock)
                ? outcome : new Replay.NotParked());
    }

    /**
     * The policy decision and, for a permit whose rule requires consent, the patient's consent, evaluated now:
     * at delivery, not at ingest, so that a withdrawal also stops records that were already queued.
     */
    private Verdict decide(Connection c, Subscriber subscriber, JournalEntry entry) throws SQLException {
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
            // On the caller's connection: a dispatch group holds one, and asking the pool for a second per record
            // could exhaust it when many plugins dispatch at once.
            consent = consents.check(c, subscriber.id(), subscriber.purpose(), entry);
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
            Decision decision = decide(c, subscriber, entries.get(0)).decision();
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

    private void deliver(Connection c, DecisionLog.Writer decisionLog, RecordCipher pluginKey, Subscriber subscriber,
            JournalEntry entry, Decision.Permit decision, String consent, String receiptId, String delivery)
            throws SQLException {
        AuthorisedRecord record = authorise(c, subscriber, entry, decision, receiptId);
        DeliveryContext context = new DeliveryContext(subscriber.id(),
                new JdbcStateStore(c, subscriber.id(), keys, pluginKey), clock);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(subscriber.model().getClass().getClassLoader());
        try {
            subscriber.model().onRecord(record, context);
        } catch (Exception | LinkageError e) {
            if (causedByTheStateStore(e)) {
                // The database failed under the plugin, not the plugin: an outage, retried by the next tick
                // without counting an attempt, never a reason to park a good record.
                throw new SQLException("TB-DISPATCH-004 the state store failed during a delivery to plugin "
                        + subscriber.id() + "; it will be retried", "08000");
            }
            throw new PluginFailure(DeliveryFailures.classify(e));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        for (TwinOutput output : context.outputs()) {
            insertOutput(c, subscriber.id(), receiptId, output, pluginKey);
        }
        decisionLog.write(c, DecisionLog.entry(receiptId, subscriber, entry, decision, delivery,
                Optional.of(record.subject()), Optional.ofNullable(consent), clock));
    }

    private static boolean causedByTheStateStore(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JdbcStateStore.StateStoreException) {
                return true;
            }
        }
        return false;
    }

    private Resource project(Connection c, JournalEntry entry, String domain, String subject, Decision.Permit permit)
            throws SQLException {
        String viewId = entry.resource() instanceof Patient ? subject
                : pseudonyms.of(domain, "ref|" + entry.connectorId() + "|" + entry.resource().fhirType() + "/"
                        + entry.resource().getIdElement().getIdPart());
        var referenceCache = new java.util.HashMap<String, String>();
        for (String ref : RecipientViews.referencedPatients(entry.resource())) {
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
        return views.build(entry.resource(), permit, new NodeEnforcementContext(pseudonyms, domain, references,
                entry.patientKey().orElseThrow(), viewId, clock));
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

    /**
     * Another replay or a drop resolved the parked row first. A type of its own, so the replay recognises its own
     * rollback by class rather than by reading the message (STYLE.md rule 15); SQLState 40001 still tells the
     * database layer it is a serialization conflict.
     */
    private static final class ReplayRaced extends SQLException {
        private static final long serialVersionUID = 1L;

        ReplayRaced(long parkedId) {
            super("TB-DISPATCH-005 parked delivery " + parkedId + " was resolved concurrently; replay rolled back",
                    "40001");
        }
    }

    /** A plugin threw; carries the exception type only, since messages can echo record content. */
    private static final class PluginFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient DeliveryFailure failure;

        PluginFailure(DeliveryFailure failure) {
            super("plugin failed: " + failure.describe(), null, false, false);
            this.failure = failure;
        }
    }
}
