package org.twinbridge.runtime.api.server;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.twinbridge.runtime.api.ApiProblem;

/**
 * At most {@code perMinute} requests per key (a token subject, or a source address for failed authentications) in
 * each one-minute cycle, one Resilience4j {@link AtomicRateLimiter} per key that never waits for a permit. Limiters
 * of keys that are back at a full allowance are dropped when there are many, so that a flood of new keys cannot
 * grow the map without bound. Thread-safe.
 */
final class RateLimiter {

    /** Many keys at once: time to drop the idle limiters. */
    private static final int PRUNE_ABOVE = 10_000;

    /** A refusal, with the seconds until the key has an allowance again (for {@code Retry-After}). */
    static final class Refused extends Exception {
        private final transient ApiProblem problem;
        private final long retryAfterSeconds;

        Refused(ApiProblem problem, long retryAfterSeconds) {
            super(problem.getMessage(), null, false, false);
            this.problem = problem;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        ApiProblem problem() {
            return problem;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final int perMinute;
    private final RateLimiterConfig config;
    private final ConcurrentHashMap<String, AtomicRateLimiter> limiters = new ConcurrentHashMap<>();

    RateLimiter(int perMinute) {
        this.perMinute = perMinute;
        this.config = RateLimiterConfig.custom().limitForPeriod(perMinute).limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO).build();
    }

    /** Counts one request against the key; refuses if the key is over its limit in this cycle. */
    void acquireOrRefuse(String key, Supplier<ApiProblem> problem) throws Refused {
        AtomicRateLimiter limiter = limiter(key);
        if (!limiter.acquirePermission()) {
            throw new Refused(problem.get(), retryAfterSeconds(limiter));
        }
    }

    /** Counts one event (a failed authentication) against the key, whether or not it is over its limit. */
    void count(String key) {
        limiter(key).acquirePermission();
    }

    /** Refuses, without counting anything, if the key has used up this cycle's allowance. */
    void refuseIfExhausted(String key, Supplier<ApiProblem> problem) throws Refused {
        AtomicRateLimiter limiter = limiters.get(key);
        if (limiter != null && limiter.getMetrics().getAvailablePermissions() <= 0) {
            throw new Refused(problem.get(), retryAfterSeconds(limiter));
        }
    }

    private AtomicRateLimiter limiter(String key) {
        if (limiters.size() > PRUNE_ABOVE) {
            limiters.values().removeIf(l -> l.getMetrics().getAvailablePermissions() >= perMinute);
        }
        return limiters.computeIfAbsent(key, k -> new AtomicRateLimiter("api-" + k.hashCode(), config));
    }

    /** Whole seconds until the next permit, at least 1 (a Retry-After of 0 would invite an instant retry). */
    private static long retryAfterSeconds(AtomicRateLimiter limiter) {
        long nanos = limiter.getDetailedMetrics().getNanosToWait();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
