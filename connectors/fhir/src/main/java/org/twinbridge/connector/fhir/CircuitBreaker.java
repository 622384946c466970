package org.twinbridge.connector.fhir;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Stops a connector hammering a server that keeps failing. Closed, it lets every request through and counts
 * consecutive failures; at {@code failureThreshold} it opens and refuses requests without sending them for
 * {@code openFor}; then it is half-open and lets one trial request through, which closes it on success and opens
 * it again on failure. Only faults of the server or the network count (see {@link FhirErrorKind#isTransient()});
 * a 4xx or a malformed body says nothing about the server's health. Thread-safe.
 *
 * <p>The state machine is Resilience4j's {@link io.github.resilience4j.circuitbreaker.CircuitBreaker}: a count-based
 * window of the last {@code failureThreshold} calls that opens at a 100% failure rate (so exactly after that many
 * consecutive failures), one permitted call when half-open, and the connector's clock. This class maps it onto the
 * connector's sealed {@link State} and {@link Permission}, and makes "open for" end at {@code openFor} exactly.
 */
final class CircuitBreaker {

    /** The breaker's state. */
    sealed interface State {
        /** Requests pass; {@code failures} failures among the last {@code failureThreshold} calls. */
        record Closed(int failures) implements State {
        }

        /** Requests are refused until {@code until}. */
        record Open(Instant until) implements State {
        }

        /** One trial request is allowed; {@code trialInFlight} once it was handed out. */
        record HalfOpen(boolean trialInFlight) implements State {
        }
    }

    /** The answer to a request for permission. */
    sealed interface Permission {
        /** Send the request, and report its outcome. */
        record Granted() implements Permission {
        }

        /** Do not send; the server is left alone until {@code retryAt} at the earliest. */
        record Refused(Instant retryAt) implements Permission {
        }
    }

    private final io.github.resilience4j.circuitbreaker.CircuitBreaker breaker;
    private final Duration openFor;
    private final Clock clock;
    private Instant openUntil = Instant.MIN;
    private boolean trialInFlight;

    CircuitBreaker(int failureThreshold, Duration openFor, Clock clock) {
        if (failureThreshold < 1 || openFor.isNegative()) {
            throw new IllegalArgumentException("failureThreshold must be at least 1 and openFor not negative");
        }
        this.openFor = openFor;
        this.clock = clock;
        // Resilience4j wants at least 1 ms open; the end of openFor is enforced in acquire() either way.
        this.breaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("fhir", CircuitBreakerConfig.custom()
                .slidingWindow(failureThreshold, failureThreshold, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100f).permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(openFor.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : openFor)
                .recordException(e -> true).clock(clock).build());
        breaker.getEventPublisher().onStateTransition(e -> {
            var to = e.getStateTransition().getToState();
            if (to == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN) {
                openUntil = clock.instant().plus(openFor);
            }
            trialInFlight = false;
        });
    }

    /** Asks to send one request. A granted request must be followed by {@link #onSuccess} or {@link #onFailure}. */
    synchronized Permission acquire() {
        Instant now = clock.instant();
        if (breaker.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN) {
            if (now.isBefore(openUntil)) {
                return new Permission.Refused(openUntil);
            }
            // Resilience4j half-opens only strictly after the wait; the connector's rule is "at openFor".
            breaker.transitionToHalfOpenState();
        }
        if (!breaker.tryAcquirePermission()) {
            return new Permission.Refused(now.plus(openFor));
        }
        if (breaker.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.HALF_OPEN) {
            trialInFlight = true;
        }
        return new Permission.Granted();
    }

    /** The server answered (any answer that is not a server fault). */
    synchronized void onSuccess() {
        breaker.onSuccess(0, TimeUnit.NANOSECONDS);
    }

    /** The request failed with a fault of the server or the network. */
    synchronized void onFailure() {
        breaker.onError(0, TimeUnit.NANOSECONDS, ServerFault.INSTANCE);
    }

    /** The current state, as of now. */
    synchronized State state() {
        switch (breaker.getState()) {
            case OPEN:
                return clock.instant().isBefore(openUntil) ? new State.Open(openUntil) : new State.HalfOpen(false);
            case HALF_OPEN:
                return new State.HalfOpen(trialInFlight);
            default:
                return new State.Closed(breaker.getMetrics().getNumberOfFailedCalls());
        }
    }

    /** What the breaker records for a failed call; the real error travels in the caller's exception. */
    private static final class ServerFault extends Exception {
        static final ServerFault INSTANCE = new ServerFault();

        private ServerFault() {
            super("server or network fault", null, false, false);
        }
    }
}
