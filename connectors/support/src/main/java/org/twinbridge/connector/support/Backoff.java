package org.twinbridge.connector.support;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff, the one schedule every retry in TwinBridge uses (the FHIR connector's requests, dispatch
 * retries of a plugin's failed record, a sink's failed delivery): the wait after failure n (1-based) is
 * {@code initial * multiplier^(n-1)}, capped at {@code max}. The arithmetic is Resilience4j's
 * {@link IntervalFunction#ofExponentialBackoff(Duration, double, Duration)}; this record only validates, and
 * handles a zero initial wait (which Resilience4j refuses, and which means "retry at once"). Jitter, where a
 * caller wants it, is applied by the caller on top. Immutable, thread-safe.
 *
 * @param initial    the wait after the first failure; zero or more
 * @param max        the longest wait; at least {@code initial}
 * @param multiplier growth per failure, at least 1
 */
public record Backoff(Duration initial, Duration max, double multiplier) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initial <= max");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, not " + multiplier);
        }
    }

    /** Doubling from {@code initial} up to {@code max}. */
    public static Backoff doubling(Duration initial, Duration max) {
        return new Backoff(initial, max, 2.0);
    }

    /** The wait after the {@code failures}-th failure (1-based). */
    public Duration after(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures is 1-based");
        }
        if (initial.toMillis() < 1) {
            return initial;
        }
        IntervalFunction interval = IntervalFunction.ofExponentialBackoff(initial, multiplier, max);
        return Duration.ofMillis(interval.apply(failures));
    }
}
