package org.twinbridge.runtime.dispatch;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.deadletter.DeliveryFailure;
import org.twinbridge.runtime.deadletter.Redelivery;
import org.twinbridge.runtime.deadletter.Replay;
import org.twinbridge.runtime.deadletter.ParkedDeliveries;
import org.twinbridge.runtime.retry.RetryPolicy;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.DecisionPoint;
import org.twinbridge.policy.view.RecipientViews;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.consent.ConsentGate;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyOwner;
import org.twinbridge.runtime.crypto.Pseudonyms;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.runtime.journal.DecodedRecords;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.JournalEntry;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.StateStore;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * Delivers journalled records to one plugin at a time, in journal order. For each record: is it requested,
 * the decision (and, when the permitting rule requires it, the patient's consent, read at this moment), the
 * projection, the delivery. Each record's plugin state writes, outputs, cursor move and decision (a decision_log
 * row and an entry in the audit hash chain) commit together or not at all (records are committed in groups; the
 * plugin runs between two transactions, its state writes staged, see {@link #dispatchGroup}), so a crash at any
 * point neither re-delivers nor skips, and nothing is delivered without its audit entry. A plugin that
 * throws gets nothing committed for that record; the record is tried again after a backoff ({@link RetryPolicy},
 * kept by {@link RetrySchedule} without holding a thread), and after the last attempt it is parked in the
 * plugin's dead-letter list ({@link ParkedDeliveries}, exception type and failure kind only) and the cursor
 * moves on, so one poison record cannot stall the plugin for long. A parked record can be replayed through the
 * whole decision path ({@link #replay}). Backlogs are read from the journal a page at a time; what is held on
 * the heap is counted by {@link #inFlight()}, besides the decoded rows shared by all plugins ({@link DecodedRecords},
 * bounded). Plugin state and outputs are encrypted with the plugin's own data key.
 *
 * <p>The parts: {@link Verdicts} decides, {@link GroupViews} projects, {@link GroupState} holds the plugin's state
 * for a group, {@link DecisionLog} records the decisions, {@link CursorTable} moves the cursor and
 * {@link ParkedDeliveries} parks; this class runs a group through them and keeps the retries.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    // Records per transaction. Bounded because a group holds the audit chain's lock from its appends to its
    // commit, and other plugins' groups wait for it meanwhile; as large as a node's dispatch batch, because each
    // transaction is a forced commit (and on SQLite a turn of the one writer lock) however few records it holds.
    private static final int GROUP = 200;
    // Decoded journal records shared by all plugins: a few dispatch batches, so plugins moving together (the
    // normal case) decode each record once between them.
    private static final int SHARED_RECORDS = 2048;
    private final Database db;
    private final JdbcJournal journal;
    private final DecisionPoint decisions;
    private final Verdicts verdicts;
    private final DecodedRecords decoded = new DecodedRecords(SHARED_RECORDS);
    private final Set<String> cursorsEnsured = java.util.concurrent.ConcurrentHashMap.newKeySet();
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
        this.verdicts = new Verdicts(decisions);
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
     * commit). Each record's state writes, outputs, cursor move and decision are still all-or-nothing: the staged
     * writes of a plugin that throws are dropped, and a database failure rolls back the whole group, cursor
     * included, so the group is processed again (plugin state commits in the same transaction, so nothing is
     * applied twice). Decisions are appended to the audit chain together at the end of the group,
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
        List<JournalEntry> entries = db.inTransaction(c -> {
            if (!cursorsEnsured.contains(subscriber.id())) {
                CursorTable.ensure(c, subscriber.id(), clock);
            }
            return journal.readAfter(c, CursorTable.position(c, subscriber.id()), max, decoded);
        });
        cursorsEnsured.add(subscriber.id()); // only once the transaction that created it committed
        inFlight.add(entries.size());
        try {
            int processed = 0;
            for (int from = 0; from < entries.size(); from += GROUP) {
                List<JournalEntry> group = entries.subList(from, Math.min(entries.size(), from + GROUP));
                int done = dispatchGroup(subscriber, group, () -> new CursorTable.Move(subscriber.id()));
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

    /**
     * Processes records a worker read from one partition of the Kafka journal (docs/scale-out.md), as
     * {@link #dispatchBatch} does journal rows: {@value #GROUP} to a transaction, each group's state, outputs,
     * decisions (audit chain) and the plugin's cursor for that partition committing together. The cursor moves only
     * from {@code position}, the one the worker read from the database: if another worker moved it meanwhile (a
     * rebalance), the group rolls back with TB-DISPATCH-006 and the worker reads the cursor again, so no record is
     * delivered twice and none skipped.
     *
     * @param entries  records of the partition after {@code position}, in offset order (positions are offset + 1)
     * @param position the plugin's cursor for the partition as the worker last read or committed it
     * @param worker   the worker's name, recorded with the cursor for operators
     * @return the cursor after the records processed ({@code position} when none was: caught up in a retry's
     *         backoff, or a plugin failure waits for its retry)
     */
    public long dispatchPartition(Subscriber subscriber, List<JournalEntry> entries, PartitionCursors.Partition partition,
            long position, String worker) throws SQLException {
        if (subscriber.model() instanceof Supervised supervised && !supervised.ready()) {
            return position;
        }
        if (retries.of(subscriber.id()).filter(p -> clock.instant().isBefore(p.notBefore())).isPresent()) {
            return position;
        }
        inFlight.add(entries.size());
        try {
            long at = position;
            for (int from = 0; from < entries.size(); from += GROUP) {
                List<JournalEntry> group = entries.subList(from, Math.min(entries.size(), from + GROUP));
                long expected = at;
                int done = dispatchGroup(subscriber, group,
                        () -> new PartitionCursors.Move(subscriber.id(), partition, expected, worker));
                if (done > 0) {
                    at = group.get(done - 1).seq();
                }
                if (done < group.size()) {
                    return at;
                }
            }
            return at;
        } finally {
            inFlight.remove(entries.size());
        }
    }

    /** Journal records held on the heap by deliveries in progress; bounded by the page size per plugin. */
    public InFlightRecords inFlight() {
        return inFlight;
    }

    /**
     * One group in three steps. First, in a short transaction, the decisions, the authorised views and the
     * plugin's state for the group's subjects (one query). Then the
     * plugin runs on them outside any transaction: a slow plugin holds no lock of the database's (on SQLite,
     * which writes one transaction at a time, it would otherwise hold up the whole node), and its state writes
     * are staged ({@link StagedStateStore}). Last, in one transaction, each permit is checked again ({@link Verdicts#stillStands}:
     * the same policy version, and consent re-read where the rule requires it) and, if they all
     * still stand, the staged state (once per key), the outputs, the decisions and the cursor commit together; if
     * any changed meanwhile (a consent withdrawn, a policy reloaded), nothing is committed and the group is done
     * again.
     */
    private int dispatchGroup(Subscriber subscriber, List<JournalEntry> group,
            java.util.function.Supplier<CursorMove> cursorMove) throws SQLException {
        Prepared prepared = db.inTransaction(c -> prepare(c, subscriber, group));
        List<FailedDelivery> failures = new ArrayList<>();
        List<Step> called = call(subscriber, prepared, failures);
        int processed = db.inTransaction(c -> commit(c, subscriber, prepared.pluginKey(), called, cursorMove.get()));
        if (processed < 0) {
            LOG.info("plugin {}: a decision changed while the plugin ran; its group is done again", subscriber.id());
            return 0;
        }
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

    /**
     * A group's records as decided before the plugin runs, the plugin's data key (null if none is needed) and its
     * state for the group's subjects (null if nothing is delivered).
     */
    private record Prepared(List<Step> steps, RecordCipher pluginKey, GroupState state) {
    }

    /** One record of a group, from its decision to what the plugin made of it. */
    private sealed interface Step {
        JournalEntry entry();

        /** The plugin does not ask for this kind of record. */
        record Skip(JournalEntry entry) implements Step {
        }

        /** Policy or consent denies it. */
        record Refuse(JournalEntry entry, Verdict verdict, Decision.Deny deny, String receiptId) implements Step {
        }

        /** Permitted: the view the plugin gets, and after the call what it made of it (null before). */
        record Deliver(JournalEntry entry, Verdict verdict, Decision.Permit permit, AuthorisedRecord record,
                Result result) implements Step {
            Deliver with(Result outcome) {
                return new Deliver(entry, verdict, permit, record, outcome);
            }
        }
    }

    /** What a delivery came to. */
    private sealed interface Result {
        record Delivered(List<TwinOutput> outputs, List<StagedStateStore.Change> changes) implements Result {
        }

        record Parked(DeliveryFailure failure, int attempt) implements Result {
        }
    }

    private Prepared prepare(Connection c, Subscriber subscriber, List<JournalEntry> group) throws SQLException {
        List<Step> steps = new ArrayList<>(group.size());
        RecordCipher pluginKey = null;
        ConsentGate.InTransaction consent = consents.in(c);
        GroupViews groupViews = new GroupViews(c, patients, views, pseudonyms, clock);
        Set<String> subjects = new java.util.HashSet<>();
        for (JournalEntry entry : group) {
            if (!subscriber.wants(entry.resource())) {
                steps.add(new Step.Skip(entry));
                continue;
            }
            Verdict verdict = verdicts.of(consent, subscriber, entry);
            String receiptId = UUID.randomUUID().toString();
            if (verdict.decision() instanceof Decision.Deny deny) {
                steps.add(new Step.Refuse(entry, verdict, deny, receiptId));
                continue;
            }
            Decision.Permit permit = (Decision.Permit) verdict.decision();
            if (pluginKey == null) {
                pluginKey = keys.forWriting(c, KeyOwner.plugin(subscriber.id()));
            }
            AuthorisedRecord record = groupViews.authorise(subscriber, entry, permit, receiptId);
            subjects.add(record.subject());
            steps.add(new Step.Deliver(entry, verdict, permit, record, null));
        }
        GroupState state = pluginKey == null ? null : GroupState.load(
                new JdbcStateStore(c, subscriber.id(), keys, pluginKey), subjects,
                committedState(subscriber.id(), pluginKey));
        return new Prepared(steps, pluginKey, state);
    }

    /**
     * Runs the plugin on the group's permitted records, in order, outside any transaction. A record that fails
     * with attempts left ends the group before it (it waits for its retry); one that fails for the last time is
     * parked and the group goes on. A plugin in a process of its own ({@link BatchModel}) gets the records in one
     * exchange ({@link Ahead}); each record's outcome is still staged, or failed, on its own.
     *
     * @return the steps to commit, each delivery with its result
     */
    private List<Step> call(Subscriber subscriber, Prepared prepared, List<FailedDelivery> failures)
            throws SQLException {
        if (prepared.state() == null) {
            return prepared.steps(); // nothing to deliver
        }
        StagedStateStore state = new StagedStateStore(subscriber.id(), prepared.state());
        Ahead ahead = subscriber.model() instanceof BatchModel batch ? new Ahead(batch) : null;
        List<Step> steps = prepared.steps();
        List<Step> called = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            if (!(steps.get(i) instanceof Step.Deliver delivery)) {
                called.add(steps.get(i));
                continue;
            }
            long seq = delivery.entry().seq();
            int failedBefore = retries.failuresSoFar(subscriber.id(), seq);
            state.beginRecord();
            try {
                List<TwinOutput> outputs = ahead == null ? run(subscriber, delivery.record(), state)
                        : ahead.next(subscriber, steps.subList(i, steps.size()), failedBefore > 0, state);
                called.add(delivery.with(new Result.Delivered(outputs, state.recordChanges())));
            } catch (PluginFailure failure) {
                state.discardRecord();
                int attempt = failedBefore + 1;
                if (!retry.exhausted(attempt)) {
                    failures.add(new FailedDelivery(seq, failure.failure, attempt, false));
                    return called;
                }
                failures.add(new FailedDelivery(seq, failure.failure, attempt, true));
                called.add(delivery.with(new Result.Parked(failure.failure, attempt)));
            }
        }
        return called;
    }

    /**
     * The outcomes a {@link BatchModel} returned for the group's next deliveries, one exchange for all of them:
     * when none is left (the group's start, or after a parked record, since an exchange stops at the first
     * failure) the rest of the group is sent. An exchange that fails as a whole, with several records in it,
     * blames none of them: the rest of the group goes one record at a time, so the record that brings the
     * process down is the one that has its attempt counted, as before batching.
     */
    private final class Ahead {
        private final BatchModel model;
        private final java.util.ArrayDeque<BatchModel.Outcome> outcomes = new java.util.ArrayDeque<>();
        private boolean oneByOne;

        Ahead(BatchModel model) {
            this.model = model;
        }

        /**
         * The outputs of the first of {@code rest}, a delivery; its state writes are staged in {@code state}.
         *
         * @param retried whether it failed before: then it goes alone, unless an exchange already ran it
         */
        List<TwinOutput> next(Subscriber subscriber, List<Step> rest, boolean retried, StagedStateStore state)
                throws SQLException {
            Step.Deliver delivery = (Step.Deliver) rest.get(0);
            if (outcomes.isEmpty() && !oneByOne && !retried) {
                List<AuthorisedRecord> records = new ArrayList<>();
                for (Step step : rest) {
                    if (step instanceof Step.Deliver d) {
                        records.add(d.record());
                    }
                }
                try {
                    guarded(subscriber, () -> outcomes.addAll(model.onRecords(records, state, clock.instant())));
                } catch (PluginFailure wholeExchange) {
                    if (records.size() == 1) {
                        throw wholeExchange; // it held this record alone
                    }
                    oneByOne = true;
                }
            }
            if (outcomes.isEmpty()) {
                return run(subscriber, delivery.record(), state);
            }
            BatchModel.Outcome outcome = outcomes.removeFirst();
            DeliveryContext context = new DeliveryContext(subscriber.id(), state, clock);
            try {
                guarded(subscriber, () -> outcome.applyTo(context));
            } catch (PluginFailure | SQLException e) {
                // The process ran the records after this one on its writes, which are dropped: they go again.
                outcomes.clear();
                throw e;
            }
            return context.outputs();
        }
    }

    /** The plugin's committed state, each read in a short transaction of its own. */
    private StagedStateStore.Committed committedState(String pluginId, RecordCipher pluginKey) {
        return new StagedStateStore.Committed() {
            @Override
            public Optional<String> get(String subject, String key) {
                return read(c -> store(c).get(subject, key));
            }

            @Override
            public Map<String, String> snapshot(String subject) {
                return read(c -> store(c).snapshot(subject));
            }

            @Override
            public List<String> pluginWideSubjects() {
                return read(c -> store(c).pluginWideSubjects());
            }

            private JdbcStateStore store(Connection c) {
                return new JdbcStateStore(c, pluginId, keys, pluginKey);
            }

            private <T> T read(Database.SqlWork<T> work) {
                try {
                    return db.inTransaction(work);
                } catch (SQLException e) {
                    throw new JdbcStateStore.StateStoreException("read", e);
                }
            }
        };
    }

    /** Calls the plugin on one record; returns what it emitted. */
    private List<TwinOutput> run(Subscriber subscriber, AuthorisedRecord record, StateStore state)
            throws SQLException {
        DeliveryContext context = new DeliveryContext(subscriber.id(), state, clock);
        guarded(subscriber, () -> subscriber.model().onRecord(record, context));
        return context.outputs();
    }

    /** A call into the plugin. */
    @FunctionalInterface
    private interface PluginCall {
        void run() throws Exception;
    }

    /**
     * Makes a call into the plugin, with its class loader as the context's.
     *
     * @throws PluginFailure if the plugin failed
     * @throws SQLException  if the state store failed under it
     */
    private static void guarded(Subscriber subscriber, PluginCall call) throws SQLException {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(subscriber.model().getClass().getClassLoader());
        try {
            call.run();
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
    }

    /**
     * Commits what the plugin made of the group, if every permit still stands.
     *
     * @return how many records were processed, or -1 if a decision changed and nothing was committed
     */
    private int commit(Connection c, Subscriber subscriber, RecordCipher pluginKey, List<Step> steps,
            CursorMove cursor) throws SQLException {
        ConsentGate.InTransaction consent = consents.in(c);
        for (Step step : steps) {
            if (step instanceof Step.Deliver delivery
                    && !verdicts.stillStands(consent, subscriber, delivery.entry(), delivery.verdict())) {
                return -1;
            }
        }
        List<StagedStateStore.Change> changes = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Step.Deliver delivery && delivery.result() instanceof Result.Delivered delivered) {
                changes.addAll(delivered.changes());
            }
        }
        if (!changes.isEmpty()) {
            GroupState.write(new JdbcStateStore(c, subscriber.id(), keys, pluginKey), changes);
        }
        DeferredDecisions chain = new DeferredDecisions(audit);
        for (Step step : steps) {
            JournalEntry entry = step.entry();
            if (step instanceof Step.Deliver delivery) {
                commitDelivery(c, chain, cursor, subscriber, pluginKey, delivery);
            } else if (step instanceof Step.Refuse refuse) {
                cursor.passed(entry.seq(), Outcome.DENIED);
                chain.write(c, DecisionLog.entry(refuse.receiptId(), subscriber, entry, refuse.deny(),
                        "not delivered", Optional.empty(), Optional.ofNullable(refuse.verdict().consent()), clock));
            } else {
                cursor.passed(entry.seq(), Outcome.NOT_REQUESTED);
            }
        }
        cursor.apply(c, clock);
        chain.flush(c);
        return steps.size();
    }

    private void commitDelivery(Connection c, DeferredDecisions chain, CursorMove cursor, Subscriber subscriber,
            RecordCipher pluginKey, Step.Deliver delivery) throws SQLException {
        JournalEntry entry = delivery.entry();
        String receiptId = delivery.record().receiptId();
        Optional<String> consent = Optional.ofNullable(delivery.verdict().consent());
        if (delivery.result() instanceof Result.Delivered delivered) {
            // The state changes were written for the whole group, once per key, before this.
            for (TwinOutput output : delivered.outputs()) {
                insertOutput(c, subscriber.id(), receiptId, output, pluginKey);
            }
            cursor.passed(entry.seq(), Outcome.DELIVERED);
            chain.write(c, DecisionLog.entry(receiptId, subscriber, entry, delivery.permit(), "delivered",
                    Optional.of(delivery.record().subject()), consent, clock));
        } else if (delivery.result() instanceof Result.Parked parked) {
            ParkedDeliveries.park(c, subscriber.id(), entry.seq(), parked.failure(), parked.attempt(), clock);
            cursor.passed(entry.seq(), Outcome.FAILED);
            chain.write(c, DecisionLog.entry(receiptId, subscriber, entry, delivery.permit(),
                    "parked (" + parked.failure().describe() + ")", Optional.empty(), consent, clock));
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
        Verdict verdict = db.inTransaction(c -> verdicts.of(consents.in(c), subscriber, entry));
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
            Decision decision = verdicts.of(consents.in(c), subscriber, entries.get(0)).decision();
            return decision instanceof Decision.Permit permit
                    ? Optional.of(new GroupViews(c, patients, views, pseudonyms, clock)
                            .authorise(subscriber, entries.get(0), permit, "preview"))
                    : Optional.<AuthorisedRecord>empty();
        });
    }

    /** The pseudonym a plugin knows a patient by: stable per plugin, unlinkable across plugins. */
    public static String subjectOf(Pseudonyms pseudonyms, String pluginId, String patientKey) {
        return pseudonyms.of(GroupViews.domainOf(pluginId), "patient|" + patientKey);
    }

    private void deliver(Connection c, DecisionLog.Writer decisionLog, RecordCipher pluginKey, Subscriber subscriber,
            JournalEntry entry, Decision.Permit decision, String consent, String receiptId, String delivery)
            throws SQLException {
        AuthorisedRecord record = new GroupViews(c, patients, views, pseudonyms, clock)
                .authorise(subscriber, entry, decision, receiptId);
        List<TwinOutput> outputs = run(subscriber, record, new JdbcStateStore(c, subscriber.id(), keys, pluginKey));
        for (TwinOutput output : outputs) {
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
