package org.twinbridge.runtime.dispatch;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retry a plugin is waiting for, if any: which journal record failed, how often, and when it may be tried
 * again. In memory on purpose: after a restart a poison record simply starts its attempts again, and a plugin
 * waiting out a backoff occupies no thread (its dispatch tick returns at once). Per plugin, so one plugin's
 * retries never hold up another's deliveries. Thread-safe: each plugin's dispatch runs on its own thread.
 */
final class RetrySchedule {

    /** A record that failed {@code failures} times and may be tried again from {@code notBefore}. */
    record Pending(long journalSeq, int failures, Instant notBefore) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    Optional<Pending> of(String pluginId) {
        return Optional.ofNullable(pending.get(pluginId));
    }

    /** How often this record already failed for this plugin (0 if it is not the one being retried). */
    int failuresSoFar(String pluginId, long journalSeq) {
        Pending p = pending.get(pluginId);
        return p != null && p.journalSeq() == journalSeq ? p.failures() : 0;
    }

    void failed(String pluginId, long journalSeq, int failures, Instant notBefore) {
        pending.put(pluginId, new Pending(journalSeq, failures, notBefore));
    }

    void clear(String pluginId) {
        pending.remove(pluginId);
    }
}
