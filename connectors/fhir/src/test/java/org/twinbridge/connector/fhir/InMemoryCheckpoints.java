package org.twinbridge.connector.fhir;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.twinbridge.sdk.connector.Checkpoints;

/** Checkpoints held in a map, for tests. Thread-safe. */
final class InMemoryCheckpoints implements Checkpoints {

    private final Map<String, String> values = new ConcurrentHashMap<>();

    @Override
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    @Override
    public void put(String name, String value) {
        values.put(name, value);
    }

    /** A copy of every stored value. */
    Map<String, String> snapshot() {
        return Map.copyOf(values);
    }
}
