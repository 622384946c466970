package org.twinbridge.connector.fhir;

import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.twinbridge.connector.support.Backoff;

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
        new Backoff(initialBackoff, maxBackoff, multiplier); // validates the schedule
        if (jitter < 0.0 || jitter > 1.0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("jitter must be within [0, 1] and maxRetryAfter not negative");
        }
    }

    /** The retries of a new request, drawing jitter from {@code random} (uniform in [0, 1)). */
    Retries retries(DoubleSupplier random) {
        RetryConfig config = RetryConfig.custom().maxAttempts(maxAttempts)
                .retryOnException(e -> e instanceof Failure f && f.kind().isTransient())
                .intervalBiFunction((Integer retry, Either<Throwable, Object> outcome) -> {
                    Optional<Duration> asked = ((Failure) outcome.getLeft()).retryAfter();
                    if (asked.isPresent()) {
                        // Waiting longer than maxRetryAfter would stall the poll: give up (negative) instead.
                        return asked.get().compareTo(maxRetryAfter) > 0 ? -1L : asked.get().toMillis();
                    }
                    return backoff(retry, random.getAsDouble()).toMillis();
                })
                .failAfterMaxAttempts(false).build();
        return new Retries(Retry.of("fhir", config).asyncContext());
    }

    /**
     * One request's retries, counted by Resilience4j's {@link Retry}: its attempt count, which failures it retries
     * (transient kinds) and the wait it computes. Resilience4j's synchronous {@code Retry} would sleep on its own
     * (with {@code Thread.sleep}); its async context only answers "how long", so the connector waits with its own
     * {@link Timing}, which tests control. Not thread-safe: one per request.
     */
    static final class Retries {
        private final Retry.AsyncContext<Object> context;

        private Retries(Retry.AsyncContext<Object> context) {
            this.context = context;
        }

        /** The decision after a failed attempt; an answer that is not a failure must not be reported here. */
        Decision afterFailure(FhirErrorKind kind, Optional<Duration> retryAfter) {
            long wait = context.onError(new Failure(kind, retryAfter));
            return wait < 0 ? new Decision.GiveUp(retryAfter) : new Decision.Retry(Duration.ofMillis(wait));
        }
    }

    /** A failed attempt as Resilience4j sees it; it carries no message, status text or body. */
    private static final class Failure extends Exception {
        private final transient FhirErrorKind kind;
        private final transient Optional<Duration> retryAfter;

        Failure(FhirErrorKind kind, Optional<Duration> retryAfter) {
            super(kind.name(), null, false, false);
            this.kind = kind;
            this.retryAfter = retryAfter;
        }

        FhirErrorKind kind() {
            return kind;
        }

        Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }

    /** The wait before retry number {@code retry} (1-based), jitter applied. */
    Duration backoff(int retry, double random) {
        long capped = new Backoff(initialBackoff, maxBackoff, multiplier).after(retry).toMillis();
        return Duration.ofMillis(Math.round(capped * (1.0 - jitter * random)));
    }
}
