package org.twinbridge.sdk;

import java.util.Optional;

/**
 * A plugin's per-subject key-value state, provided by the runtime.
 *
 * <p>Writes made during {@link TwinModel#onRecord} commit in the same transaction as the plugin's delivery
 * cursor, so a restart neither re-applies nor loses an update. Values are encrypted at rest. Keys and values
 * are plain strings (JSON is a good choice for structured state); a value may be up to 1 MiB.
 *
 * <p>Not thread-safe: use it only from the delivery thread that received it.
 */
public interface StateStore {

    /** Maximum length of a value, in UTF-8 bytes. */
    int MAX_VALUE_BYTES = 1 << 20;

    /** The value stored for this subject and key, or empty. Reads see this delivery's own writes. */
    Optional<String> get(String subject, String key);

    /**
     * Stores a value, replacing any earlier one.
     *
     * @throws IllegalArgumentException if the value is larger than {@link #MAX_VALUE_BYTES}
     */
    void put(String subject, String key, String value);

    /** Removes one value; does nothing if there is none. */
    void delete(String subject, String key);
}
