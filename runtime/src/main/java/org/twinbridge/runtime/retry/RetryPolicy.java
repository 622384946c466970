package org.twinbridge.runtime.retry;

import java.time.Duration;
import java.util.Objects;
import org.twinbridge.connector.support.Backoff;

/**
 * How often a delivery that throws is tried before the record is parked in the plugin's dead-letter list
 * ({@code plugins.retry} in the node configuration). Attempt n (1-based) that fails is followed by a pause of
 * {@code initialBackoff * 2^(n-1)}, capped at {@code maxBackoff}; after {@code attempts} failed attempts the
 * record is parked and the plugin's cursor moves on.
 *
 * @param attempts       deliveries tried in all, at least 1 (1: park on the first failure)
 * @param initialBackoff pause after the first failure; zero or more
 * @param maxBackoff     the longest pause; at least {@code initialBackoff}
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

    /** Upper bound on {@link #attempts()}: a poison record should not stall a plugin for hours. */
    public static final int MAX_ATTEMPTS = 100;
    /** Upper bound on {@link #maxBackoff()}. */
    public static final Duration MAX_BACKOFF_LIMIT = Duration.ofHours(1);
    /** 5 attempts, 1 s doubling to at most 1 min: a poison record parks after about 15 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(1));

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempts must be from 1 to " + MAX_ATTEMPTS + ", not " + attempts);
        }
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initial backoff must not be negative");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0 || maxBackoff.compareTo(MAX_BACKOFF_LIMIT) > 0) {
            throw new IllegalArgumentException("max backoff must be from the initial backoff to 1h");
        }
    }

    /** Parks on the first failure, without retrying. */
    public static RetryPolicy parkImmediately() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The pause after the {@code failures}-th failed attempt (1-based): {@link Backoff}, doubling, on Resilience4j.
     */
    public Duration backoffAfter(int failures) {
        return Backoff.doubling(initialBackoff, maxBackoff).after(failures);
    }

    /** Whether a record that has failed {@code failures} times is to be parked rather than tried again. */
    public boolean exhausted(int failures) {
        return failures >= attempts;
    }
}
