package org.twinbridge.sdk.internal.host;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.sdk.DeliveryLimits;
import org.twinbridge.sdk.StateStore;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.internal.host.Messages.Change;
import org.twinbridge.sdk.internal.host.Messages.Deliver;
import org.twinbridge.sdk.internal.host.Messages.Erase;
import org.twinbridge.sdk.internal.host.Messages.Item;
import org.twinbridge.sdk.internal.host.Messages.Outcome;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * Runs one batch against the plugin, inside the plugin process. Each item sees the state the batch arrived with
 * plus what earlier items of the batch wrote, of its own subject and the plugin-wide subjects only (and its own
 * writes): what a batch of that one item would have carried, so an item reads the same whichever other records
 * share its batch. An item's writes and outputs are kept only if it returns normally.
 * The batch stops at the first item that throws, as a node stops a group at a failed delivery. The same limits as
 * in a node apply (key and subject length, value size, outputs per delivery), and breaking one is reported as
 * {@code SDK_LIMIT}.
 */
final class BatchRunner {

    private final TwinModel model;
    private final String pluginId;
    private final IParser json = FhirContext.forR4Cached().newJsonParser();

    BatchRunner(TwinModel model, String pluginId) {
        this.model = model;
        this.pluginId = pluginId;
    }

    Messages.Result run(Messages.Batch batch) {
        Map<String, Map<String, String>> committed = new HashMap<>();
        batch.state().forEach((subject, values) -> committed.put(subject, new HashMap<>(values)));
        Instant now = Instant.ofEpochMilli(batch.nowEpochMillis());
        List<Outcome> outcomes = new ArrayList<>();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(model.getClass().getClassLoader());
        try {
            for (Item item : batch.items()) {
                Overlay overlay = new Overlay(committed, subjectOf(item), pluginId + ".");
                Context context = new Context(pluginId, overlay, now);
                try {
                    if (item instanceof Deliver d) {
                        Resource resource = (Resource) json.parseResource(d.resourceJson());
                        model.onRecord(new AuthorisedRecord(d.subject(), resource, d.category(),
                                d.effectiveEpochMillis().map(Instant::ofEpochMilli), d.receiptId(),
                                d.policyVersion()), context);
                    } else if (item instanceof Erase e) {
                        model.onErase(e.subject(), context);
                    }
                } catch (Exception | LinkageError | StackOverflowError e) {
                    outcomes.add(new Messages.Failed(e.getClass().getName(), kind(e)));
                    break;
                }
                overlay.commit();
                List<Messages.Output> outputs = new ArrayList<>();
                for (TwinOutput out : context.outputs) {
                    outputs.add(new Messages.Output(out.subject(), out.kind().name(), out.summary(),
                            json.encodeResourceToString(out.resource())));
                }
                outcomes.add(new Messages.Done(outputs, overlay.changes()));
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return new Messages.Result(batch.batchId(), outcomes);
    }

    private static String subjectOf(Item item) {
        return item instanceof Deliver d ? d.subject() : ((Erase) item).subject();
    }

    /** The node's failure kinds; the SDK's own checks throw from this file's classes. */
    private static String kind(Throwable thrown) {
        StackTraceElement[] stack = thrown.getStackTrace();
        if (stack.length > 0 && stack[0].getClassName().startsWith(BatchRunner.class.getName())) {
            return "SDK_LIMIT";
        }
        if (thrown instanceof LinkageError) {
            return "PLUGIN_LINKAGE_ERROR";
        }
        if (thrown instanceof RuntimeException) {
            return "PLUGIN_EXCEPTION";
        }
        return thrown instanceof Exception ? "PLUGIN_CHECKED_EXCEPTION" : "PLUGIN_EXCEPTION";
    }

    /**
     * The state one item sees: the batch's state so far of its subject and the plugin-wide subjects, with the
     * item's own writes on top.
     */
    private static final class Overlay implements StateStore {
        private final Map<String, Map<String, String>> committed;
        private final String subject;
        private final String pluginWidePrefix;
        private final Map<String, Map<String, Optional<String>>> pending = new LinkedHashMap<>();
        private final List<Change> changes = new ArrayList<>();

        Overlay(Map<String, Map<String, String>> committed, String subject, String pluginWidePrefix) {
            this.committed = committed;
            this.subject = subject;
            this.pluginWidePrefix = pluginWidePrefix;
        }

        @Override
        public Optional<String> get(String subject, String key) {
            DeliveryLimits.checkStateAddress(subject, key);
            Map<String, Optional<String>> mine = pending.get(subject);
            if (mine != null && mine.containsKey(key)) {
                return mine.get(key);
            }
            if (!subject.equals(this.subject) && !subject.startsWith(pluginWidePrefix)) {
                return Optional.empty(); // another patient's: not part of this item's state
            }
            return Optional.ofNullable(committed.getOrDefault(subject, Map.of()).get(key));
        }

        @Override
        public void put(String subject, String key, String value) {
            DeliveryLimits.checkStateAddress(subject, key);
            DeliveryLimits.checkStateValue(key, value);
            pending.computeIfAbsent(subject, s -> new LinkedHashMap<>()).put(key, Optional.of(value));
            changes.add(new Change(subject, key, Optional.of(value)));
        }

        @Override
        public void delete(String subject, String key) {
            DeliveryLimits.checkStateAddress(subject, key);
            pending.computeIfAbsent(subject, s -> new LinkedHashMap<>()).put(key, Optional.empty());
            changes.add(new Change(subject, key, Optional.empty()));
        }

        void commit() {
            pending.forEach((subject, values) -> {
                Map<String, String> target = committed.computeIfAbsent(subject, s -> new HashMap<>());
                values.forEach((k, v) -> {
                    if (v.isPresent()) {
                        target.put(k, v.get());
                    } else {
                        target.remove(k);
                    }
                });
            });
        }

        List<Change> changes() {
            return List.copyOf(changes);
        }

    }

    /** The context of one item. */
    private static final class Context implements TwinContext {
        private final String pluginId;
        private final StateStore state;
        private final Instant now;
        private final List<TwinOutput> outputs = new ArrayList<>();

        Context(String pluginId, StateStore state, Instant now) {
            this.pluginId = pluginId;
            this.state = state;
            this.now = now;
        }

        @Override
        public String pluginId() {
            return pluginId;
        }

        @Override
        public StateStore state() {
            return state;
        }

        @Override
        public void emit(TwinOutput output) {
            Objects.requireNonNull(output, "output");
            DeliveryLimits.checkEmit(outputs.size());
            outputs.add(output);
        }

        @Override
        public Instant now() {
            return now;
        }
    }
}
