package org.twinbridge.connector.fhir;

import java.time.Duration;
import java.util.Optional;

/**
 * When to try a failed request again, and after how long: exponential backoff with jitter for transient
 * faults, or the server's own {@code Retry-After} when it sent one. Immutable.
 *
 * @param maxAttempts    attempts per request, the first included (1 turns retries off)
 * @param initialBackoff the wait before the first retry, before jitter
 * @param maxBackoff     the longest wait between attempts, before jitter
 * @param multiplier     growth of the wait per retry
 * @param jitter         the fraction of each wait that is random, 0 to 1: the wait is
 *                       {@code backoff * (1 - jitter * random)}, so that many connectors retrying the same
 *                       server do not retry in step
 * @param maxRetryAfter  the longest {@code Retry-After} honoured by waiting; a longer one ends the attempts,
 *                       and the connector leaves the server alone until that time has passed
 */
record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter,
        Duration maxRetryAfter) {

    /** What to do after a failed attempt. */
    sealed interface Decision {
        /** Wait this long, then try again. */
        record Retry(Duration delay) implements Decision {
        }

        /** Stop; if the server asked for a pause, {@code holdOff} says how long. */
        record GiveUp(Optional<Duration> holdOff) implements Decision {
        }
    }

    RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initial <= max");
        }
        if (multiplier < 1.0 || jitter < 0.0 || jitter > 1.0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("multiplier must be >= 1 and jitter within [0, 1]");
        }
    }

    /**
     * The decision after attempt number {@code attempt} (1-based) failed.
     *
     * @param kind       what went wrong
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     * @param random     a uniform value in [0, 1) for the jitter
     */
    Decision afterFailure(int attempt, FhirErrorKind kind, Optional<Duration> retryAfter, double random) {
        if (retryAfter.isPresent() && retryAfter.get().compareTo(maxRetryAfter) > 0) {
            return new Decision.GiveUp(retryAfter);
        }
        if (!kind.isTransient() || attempt >= maxAttempts) {
            return new Decision.GiveUp(retryAfter);
        }
        return new Decision.Retry(retryAfter.orElseGet(() -> backoff(attempt, random)));
    }

    /** The wait before retry number {@code retry} (1-based), jitter applied. */
    Duration backoff(int retry, double random) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, retry - 1.0);
        double capped = Math.min(millis, maxBackoff.toMillis());
        return Duration.ofMillis(Math.round(capped * (1.0 - jitter * random)));
    }
}
