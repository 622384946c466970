package org.twinbridge.sdk.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.sdk.DeliveryLimits;
import org.twinbridge.sdk.StateStore;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * A twin context for a plugin's own unit tests (in the vendor kit, {@code twinbridge-sdk-testing}): state in a map,
 * outputs in a list, a clock the test sets. It enforces the {@link DeliveryLimits} of the {@link TwinContext}
 * contract, as the node does: state addresses and value sizes on every call, and the output limit for each
 * delivery made through {@link #deliver} (a direct {@code onRecord} call is not a delivery it can see, so its
 * outputs are not counted). It does not decide, project or
 * pseudonymise: feed it records shaped as policy would deliver them ({@link TwinHarness} does all of that). Not
 * thread-safe.
 */
public final class InMemoryTwinContext implements TwinContext {

    private final String pluginId;
    private final InMemoryStateStore state = new InMemoryStateStore();
    private final List<TwinOutput> outputs = new ArrayList<>();
    private int emittedThisDelivery;
    private boolean inDelivery;
    private Instant now = Instant.parse("2025-03-01T12:00:00Z");

    /** @param pluginId the id {@link #pluginId()} reports, normally the plugin's manifest id */
    public InMemoryTwinContext(String pluginId) {
        this.pluginId = pluginId;
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public InMemoryStateStore state() {
        return state;
    }

    @Override
    public void emit(TwinOutput output) {
        if (inDelivery) {
            DeliveryLimits.checkEmit(emittedThisDelivery);
            emittedThisDelivery++;
        }
        outputs.add(java.util.Objects.requireNonNull(output, "output"));
    }

    /**
     * Delivers one record to the model as the node does, with this context, and holds the delivery to the
     * {@link DeliveryLimits} (its outputs are still kept when it throws; the harness rolls back, this does not).
     */
    public void deliver(TwinModel model, AuthorisedRecord record) throws Exception {
        emittedThisDelivery = 0;
        inDelivery = true;
        try {
            model.onRecord(record, this);
        } finally {
            inDelivery = false;
        }
    }

    @Override
    public Instant now() {
        return now;
    }

    /** Sets what {@link #now()} returns. */
    public void setNow(Instant now) {
        this.now = now;
    }

    /** Everything emitted so far, in order. */
    public List<TwinOutput> outputs() {
        return List.copyOf(outputs);
    }

    /** The outputs of one kind emitted so far. */
    public List<TwinOutput> outputs(OutputKind kind) {
        return outputs.stream().filter(output -> output.kind() == kind).toList();
    }

    /** Returns and forgets what was emitted so far. */
    public List<TwinOutput> drain() {
        List<TwinOutput> drained = List.copyOf(outputs);
        outputs.clear();
        return drained;
    }

    /** A per-subject key-value map. */
    public static final class InMemoryStateStore implements StateStore {

        private final Map<String, Map<String, String>> values = new HashMap<>();

        @Override
        public Optional<String> get(String subject, String key) {
            return Optional.ofNullable(values.getOrDefault(subject, Map.of()).get(key));
        }

        @Override
        public void put(String subject, String key, String value) {
            DeliveryLimits.checkStateAddress(subject, key);
            DeliveryLimits.checkStateValue(key, value);
            values.computeIfAbsent(subject, s -> new HashMap<>()).put(key, value);
        }

        @Override
        public void delete(String subject, String key) {
            Map<String, String> subjectValues = values.get(subject);
            if (subjectValues != null) {
                subjectValues.remove(key);
                if (subjectValues.isEmpty()) {
                    values.remove(subject);
                }
            }
        }

        /** The keys held for a subject. */
        public Set<String> keys(String subject) {
            return Set.copyOf(values.getOrDefault(subject, Map.of()).keySet());
        }
    }
}
