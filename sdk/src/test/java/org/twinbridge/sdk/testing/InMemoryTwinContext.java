package org.twinbridge.sdk.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.sdk.StateStore;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * A twin context for a plugin's own unit tests (shipped in the SDK's test artefact,
 * {@code twinbridge-sdk:tests}): state in a map, outputs in a list, a clock the test sets. It enforces the
 * state store's value limit, as the node's store does. It does not decide, project or pseudonymise: feed it
 * records shaped as policy would deliver them. Not thread-safe.
 */
public final class InMemoryTwinContext implements TwinContext {

    private final String pluginId;
    private final InMemoryStateStore state = new InMemoryStateStore();
    private final List<TwinOutput> outputs = new ArrayList<>();
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
        outputs.add(output);
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
            if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("value for '" + key + "' exceeds " + MAX_VALUE_BYTES + " bytes");
            }
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
