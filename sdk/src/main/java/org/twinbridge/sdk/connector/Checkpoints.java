package org.twinbridge.sdk.connector;

import java.util.Optional;

/**
 * Durable named positions of one connector, for example a FHIR poll watermark per resource type. A value
 * survives restarts; write it only after the records it covers are journalled. Thread-safe.
 */
public interface Checkpoints {

    /** The stored value, or empty if none was stored yet. */
    Optional<String> get(String name);

    /** Stores a value durably before returning. */
    void put(String name, String value);
}
