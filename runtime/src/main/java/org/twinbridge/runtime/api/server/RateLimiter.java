package org.twinbridge.runtime.api.server;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code perMinute} requests per key (a token subject, or a source address for failed authentications) in
 * each one-minute window. A fixed window is coarse, but it
 * needs no background thread and bounds a runaway script, which is its job. Thread-safe.
 */
final class RateLimiter {

    private record Window(long minute, int count) {
    }

    private final int perMinute;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    RateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Counts one request; false if the subject is over its limit in this minute. */
    boolean tryAcquire(String subject) {
        long minute = clock.millis() / 60_000;
        if (windows.size() > 10_000) {
            // Many subjects: drop the windows of past minutes so the map cannot grow without bound.
            windows.values().removeIf(w -> w.minute() != minute);
        }
        Window now = windows.compute(subject, (s, w) -> w == null || w.minute() != minute
                ? new Window(minute, 1) : new Window(minute, w.count() + 1));
        return now.count() <= perMinute;
    }

    /** Whether the key has used up this minute's allowance, without counting a request. */
    boolean exhausted(String key) {
        Window w = windows.get(key);
        return w != null && w.minute() == clock.millis() / 60_000 && w.count() >= perMinute;
    }

    /** Seconds until the current window ends, for Retry-After. */
    long secondsToNextWindow() {
        return 60 - (clock.millis() / 1000) % 60;
    }
}
