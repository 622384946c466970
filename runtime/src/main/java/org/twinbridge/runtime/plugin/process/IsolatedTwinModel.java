package org.twinbridge.runtime.plugin.process;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.deadletter.DeliveryFailure;
import org.twinbridge.runtime.dispatch.BatchModel;
import org.twinbridge.runtime.dispatch.IsolatedPluginFailure;
import org.twinbridge.runtime.dispatch.SubjectStates;
import org.twinbridge.runtime.dispatch.Supervised;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.internal.host.Messages;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * The node's stand-in for a plugin that runs in its own process: to the dispatcher it is a {@link TwinModel}, and
 * each call becomes a batch sent to the process (the authorised view with its receipt id, and the subject's twin
 * state, read from the node's state store); the process's outputs and state changes come back and are applied
 * to the delivery's own context, so they commit with the cursor and the audit entry exactly as an in-process
 * plugin's would. The dispatcher sends a group's records in one exchange ({@link #onRecords}), each record's
 * outcome applied to its own context; {@link #runBatch} is the exchange itself.
 *
 * <p>Supervision: a process that exits, does not answer within the batch timeout, exceeds its memory limit or
 * breaks the protocol is killed, and the delivery fails with a {@link DeliveryFailure} saying which (so it is
 * retried and then parked like any failing delivery). {@link #ready} restarts the process after a backoff that
 * doubles with each consecutive failure (1 s up to 1 min). Calls are serialised.
 */
public final class IsolatedTwinModel implements TwinModel, BatchModel, Supervised, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IsolatedTwinModel.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z0-9_.$]{1,200}");
    private static final Set<String> PLUGIN_KINDS = Set.of("PLUGIN_EXCEPTION", "PLUGIN_CHECKED_EXCEPTION",
            "PLUGIN_LINKAGE_ERROR", "SDK_LIMIT");
    private final PluginLaunch launch;
    private final PluginManifest manifest;
    private final Clock clock;
    private final IParser json = FhirContext.forR4Cached().newJsonParser();
    private PluginProcess process;
    private State state = State.RUNNING;
    private int restarts;
    private int consecutiveFailures;
    private Instant restartAt = Instant.MIN;
    private Instant nextMemoryCheck = Instant.MIN;
    private Optional<DeliveryFailure.Kind> lastFailure = Optional.empty();

    /** The life of a plugin process, as health and metrics show it. */
    public enum State { RUNNING, RESTARTING, STOPPED }

    private IsolatedTwinModel(PluginLaunch launch, PluginProcess.Started started, Clock clock) {
        this.launch = launch;
        this.process = started.process();
        this.manifest = started.hello().manifest();
        this.clock = clock;
    }

    /**
     * Starts the plugin's process and reads its manifest.
     *
     * @throws PluginStartException if it does not start, or its manifest id differs from the jar's Plugin-Id
     */
    public static IsolatedTwinModel start(PluginLaunch launch, Clock clock) throws PluginStartException {
        PluginProcess.Started started;
        try {
            started = PluginProcess.start(launch.command(), launch.workDir(), launch.limits().startTimeout(),
                    launch.limits().maxOutputBytes());
        } catch (PluginProcess.ProcessFailure e) {
            throw new PluginStartException(e.getMessage());
        }
        if (!started.hello().manifest().id().equals(launch.pluginId())) {
            started.process().shutdown(Duration.ZERO);
            throw new PluginStartException("TB-PLUGIN-002 manifest id '" + started.hello().manifest().id()
                    + "' differs from the jar's Plugin-Id");
        }
        return new IsolatedTwinModel(launch, started, clock);
    }

    /** A plugin process that could not be started; the message says why, without plugin output. */
    public static final class PluginStartException extends Exception {
        private static final long serialVersionUID = 1L;

        PluginStartException(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public PluginManifest manifest() {
        return manifest;
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        onRecords(List.of(record), subjectStates(context), context.now()).get(0).applyTo(context);
    }

    /** All of the records in one batch, so a group crosses the process boundary in one exchange. */
    @Override
    public List<BatchModel.Outcome> onRecords(List<AuthorisedRecord> records, SubjectStates state, Instant now) {
        List<Messages.Item> items = new ArrayList<>(records.size());
        Set<String> subjects = new LinkedHashSet<>();
        for (AuthorisedRecord record : records) {
            items.add(new Messages.Deliver(record.receiptId(), record.subject(), record.category(),
                    record.effectiveTime().map(Instant::toEpochMilli), record.policyVersion(),
                    json.encodeResourceToString(record.resource())));
            subjects.add(record.subject());
        }
        List<BatchModel.Outcome> outcomes = new ArrayList<>();
        for (Messages.Outcome outcome : runBatch(items, states(state, subjects), now)) {
            outcomes.add(context -> apply(outcome, context));
        }
        return outcomes;
    }

    @Override
    public void onErase(String subject, TwinContext context) {
        List<Messages.Outcome> outcomes = runBatch(List.of(new Messages.Erase(subject)),
                states(subjectStates(context), Set.of(subject)), context.now());
        apply(outcomes.get(0), context);
    }

    /**
     * Sends one batch and returns one outcome per item, in order, up to and including the first failed item.
     *
     * @param state subject → key → value, for every subject the items name
     * @throws IsolatedPluginFailure if the process failed (it has been killed; {@link #ready} restarts it)
     */
    public synchronized List<Messages.Outcome> runBatch(List<Messages.Item> items,
            Map<String, Map<String, String>> state, Instant now) {
        if (items.isEmpty()) {
            return List.of();
        }
        if (process == null || !process.alive()) {
            // Called in the middle of a group after a failure: start at once rather than fail an innocent record.
            restartNow();
        }
        Messages.Batch batch = new Messages.Batch(process.nextBatchId(), now.toEpochMilli(), items, state);
        Messages.Result result;
        try {
            result = process.exchange(batch, launch.limits().batchTimeout(),
                    launch.limits().maxRssMb() * (1L << 20));
        } catch (PluginProcess.ProcessFailure e) {
            throw failed(e.kind(), e.getMessage());
        }
        List<Messages.Outcome> outcomes = result.outcomes();
        if (!wellFormed(outcomes, items.size())) {
            process.kill(DeliveryFailure.Kind.PROTOCOL_VIOLATION);
            throw failed(DeliveryFailure.Kind.PROTOCOL_VIOLATION, "TB-PLUGIN-031 the plugin process answered "
                    + outcomes.size() + " outcome(s) to " + items.size() + " item(s)");
        }
        consecutiveFailures = 0;
        return outcomes;
    }

    private static boolean wellFormed(List<Messages.Outcome> outcomes, int items) {
        if (outcomes.isEmpty() || outcomes.size() > items) {
            return false;
        }
        for (int i = 0; i < outcomes.size() - 1; i++) {
            if (outcomes.get(i) instanceof Messages.Failed) {
                return false;
            }
        }
        return outcomes.size() == items || outcomes.get(outcomes.size() - 1) instanceof Messages.Failed;
    }

    private IsolatedPluginFailure failed(DeliveryFailure.Kind kind, String message) {
        consecutiveFailures++;
        lastFailure = Optional.of(kind);
        state = State.RESTARTING;
        Duration backoff = backoff(consecutiveFailures);
        restartAt = clock.instant().plus(backoff);
        LOG.warn("TB-PLUGIN-035 plugin {} process failed ({}): {}; restarting in {}", launch.pluginId(), kind,
                message, backoff);
        return new IsolatedPluginFailure(new DeliveryFailure("plugin process", kind));
    }

    static Duration backoff(int failures) {
        Duration d = FIRST_BACKOFF;
        for (int i = 1; i < failures && d.compareTo(MAX_BACKOFF) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /** Applies one outcome to the node-side context: the state writes, then the outputs. */
    private void apply(Messages.Outcome outcome, TwinContext context) {
        if (outcome instanceof Messages.Failed f) {
            String errorClass = CLASS_NAME.matcher(f.errorClass()).matches() ? f.errorClass() : "unnamed";
            DeliveryFailure.Kind kind = PLUGIN_KINDS.contains(f.kind()) ? DeliveryFailure.Kind.valueOf(f.kind())
                    : DeliveryFailure.Kind.PLUGIN_EXCEPTION;
            throw new IsolatedPluginFailure(new DeliveryFailure(errorClass, kind));
        }
        Messages.Done done = (Messages.Done) outcome;
        for (Messages.Change change : done.changes()) {
            if (change.value().isPresent()) {
                context.state().put(change.subject(), change.key(), change.value().get());
            } else {
                context.state().delete(change.subject(), change.key());
            }
        }
        for (Messages.Output output : done.outputs()) {
            TwinOutput parsed;
            try {
                Resource resource = (Resource) json.parseResource(output.resourceJson());
                parsed = new TwinOutput(output.subject(), OutputKind.valueOf(output.kind()), resource,
                        output.summary());
            } catch (RuntimeException e) {
                throw new IsolatedPluginFailure(new DeliveryFailure("invalid output (" + e.getClass().getSimpleName()
                        + ")", DeliveryFailure.Kind.PLUGIN_EXCEPTION));
            }
            context.emit(parsed);
        }
    }

    private static SubjectStates subjectStates(TwinContext context) {
        if (!(context.state() instanceof SubjectStates states)) {
            throw new IllegalStateException("TB-PLUGIN-036 an isolated plugin needs the node's state store");
        }
        return states;
    }

    /** The state the process gets with a batch: the items' subjects and the plugin-wide subjects. */
    private static Map<String, Map<String, String>> states(SubjectStates states, Collection<String> subjects) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String subject : subjects) {
            out.put(subject, states.snapshot(subject));
        }
        for (String pluginWide : states.pluginWideSubjects()) {
            out.putIfAbsent(pluginWide, states.snapshot(pluginWide));
        }
        return out;
    }

    /**
     * Whether the process is up. A dead one is restarted here once its backoff is over; a process above its
     * memory limit is killed here, between batches, before it is given anything.
     */
    @Override
    public synchronized boolean ready() {
        if (state == State.STOPPED) {
            return false;
        }
        if (process != null && process.alive()) {
            // Reading /proc for the process tree costs a scan of every process: at most once a second.
            if (clock.instant().isBefore(nextMemoryCheck)) {
                return true;
            }
            nextMemoryCheck = clock.instant().plusSeconds(1);
            Optional<Long> rss = process.residentBytes();
            if (rss.isPresent() && rss.get() > launch.limits().maxRssMb() * (1L << 20)) {
                process.kill(DeliveryFailure.Kind.PROCESS_OUT_OF_MEMORY);
                failed(DeliveryFailure.Kind.PROCESS_OUT_OF_MEMORY, "TB-PLUGIN-035 resident memory above "
                        + launch.limits().maxRssMb() + " MiB");
                return false;
            }
            return true;
        }
        if (state == State.RUNNING) {
            // Died between batches.
            failed(DeliveryFailure.Kind.PROCESS_CRASHED, "TB-PLUGIN-035 the process exited between batches");
            return false;
        }
        if (clock.instant().isBefore(restartAt)) {
            return false;
        }
        try {
            restartNow();
            return true;
        } catch (IsolatedPluginFailure e) {
            return false;
        }
    }

    private void restartNow() {
        try {
            PluginProcess.Started started = PluginProcess.start(launch.command(), launch.workDir(),
                    launch.limits().startTimeout(), launch.limits().maxOutputBytes());
            if (!started.hello().manifest().equals(manifest)) {
                started.process().shutdown(Duration.ZERO);
                throw failed(DeliveryFailure.Kind.PROTOCOL_VIOLATION, "TB-PLUGIN-031 the restarted process "
                        + "announced a different manifest");
            }
            process = started.process();
            state = State.RUNNING;
            restarts++;
            LOG.info("plugin {} process restarted (restart {})", launch.pluginId(), restarts);
        } catch (PluginProcess.ProcessFailure e) {
            throw failed(e.kind(), e.getMessage());
        }
    }

    /** What health and metrics show of this plugin's process. */
    public synchronized ProcessHealth health() {
        long rss = process != null && process.alive() ? process.residentBytes().orElse(0L) : 0L;
        return new ProcessHealth(launch.pluginId(), state, restarts, rss, launch.sandbox().confines(),
                lastFailure.map(Enum::name));
    }

    /**
     * @param residentBytes resident memory of the process now (0 when it is down)
     * @param sandboxed     whether the OS sandbox confines it
     * @param lastFailure   the kind of its last failure, if any
     */
    public record ProcessHealth(String pluginId, State state, int restarts, long residentBytes, boolean sandboxed,
            Optional<String> lastFailure) {
    }

    /** How it runs, for logs and {@code plugin list}. */
    public String isolation() {
        return launch.sandbox().describe();
    }

    @Override
    public synchronized void close() {
        state = State.STOPPED;
        if (process != null) {
            process.shutdown(Duration.ofSeconds(2));
        }
    }
}
