package org.twinbridge.sdk.testing;

import java.time.Clock;
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
import org.twinbridge.sdk.model.TwinOutput;

/**
 * The harness's twin context: one per plugin, reused for every delivery, transactional like the node's. Writes
 * and outputs of a delivery are staged and kept only if the plugin returns normally, so a plugin that throws
 * leaves nothing behind, exactly as in a node. Enforces the node's limits ({@link DeliveryLimits}).
 * Not thread-safe, like the node's per-plugin delivery thread.
 */
final class HarnessContext implements TwinContext {

    private final String pluginId;
    private final Clock clock;
    private final Map<String, Map<String, String>> committed = new HashMap<>();
    private final Map<String, Map<String, Optional<String>>> staged = new HashMap<>();
    private final List<TwinOutput> outputs = new ArrayList<>();
    private final StateStore state = new StagedStore();

    HarnessContext(String pluginId, Clock clock) {
        this.pluginId = pluginId;
        this.clock = clock;
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
        DeliveryLimits.checkEmit(outputs.size());
        outputs.add(java.util.Objects.requireNonNull(output, "output"));
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    /** Keeps the delivery's writes and returns its outputs. */
    List<TwinOutput> commit() {
        staged.forEach((subject, values) -> values.forEach((key, value) -> {
            if (value.isEmpty()) {
                Map<String, String> kept = committed.get(subject);
                if (kept != null) {
                    kept.remove(key);
                    if (kept.isEmpty()) {
                        committed.remove(subject);
                    }
                }
            } else {
                committed.computeIfAbsent(subject, s -> new HashMap<>()).put(key, value.get());
            }
        }));
        List<TwinOutput> emitted = List.copyOf(outputs);
        rollback();
        return emitted;
    }

    /** Forgets the delivery's writes and outputs. */
    void rollback() {
        staged.clear();
        outputs.clear();
    }

    /** Drops every committed value of a subject, as the node does on erasure. */
    void dropSubject(String subject) {
        committed.remove(subject);
    }

    /** The committed keys of a subject. */
    Set<String> keys(String subject) {
        return Set.copyOf(committed.getOrDefault(subject, Map.of()).keySet());
    }

    /** A committed value. */
    Optional<String> committedValue(String subject, String key) {
        return Optional.ofNullable(committed.getOrDefault(subject, Map.of()).get(key));
    }

    /** Subjects with committed state. */
    Set<String> subjects() {
        return Set.copyOf(committed.keySet());
    }

    private final class StagedStore implements StateStore {
        @Override
        public Optional<String> get(String subject, String key) {
            Optional<String> value = staged.getOrDefault(subject, Map.of()).get(key);
            if (value != null) {
                return value;
            }
            return committedValue(subject, key);
        }

        @Override
        public void put(String subject, String key, String value) {
            DeliveryLimits.checkStateAddress(subject, key);
            DeliveryLimits.checkStateValue(key, value);
            staged.computeIfAbsent(subject, s -> new HashMap<>()).put(key, Optional.of(value));
        }

        @Override
        public void delete(String subject, String key) {
            staged.computeIfAbsent(subject, s -> new HashMap<>()).put(key, Optional.empty());
        }
    }
}
