package org.twinbridge.connector.fhir;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops a connector hammering a server that keeps failing. Closed, it lets every request through and counts
 * consecutive failures; at {@code failureThreshold} it opens and refuses requests without sending them for
 * {@code openFor}; then it is half-open and lets one trial request through, which closes it on success and opens
 * it again on failure. Only faults of the server or the network count (see {@link FhirErrorKind#isTransient()});
 * a 4xx or a malformed body says nothing about the server's health. Thread-safe.
 */
final class CircuitBreaker {

    /** The breaker's state. */
    sealed interface State {
        /** Requests pass; {@code failures} consecutive failures so far. */
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

    private final int failureThreshold;
    private final Duration openFor;
    private final Clock clock;
    private State state = new State.Closed(0);

    CircuitBreaker(int failureThreshold, Duration openFor, Clock clock) {
        if (failureThreshold < 1 || openFor.isNegative()) {
            throw new IllegalArgumentException("failureThreshold must be at least 1 and openFor not negative");
        }
        this.failureThreshold = failureThreshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    /** Asks to send one request. A granted request must be followed by {@link #onSuccess} or {@link #onFailure}. */
    synchronized Permission acquire() {
        if (state instanceof State.Open open) {
            if (clock.instant().isBefore(open.until())) {
                return new Permission.Refused(open.until());
            }
            state = new State.HalfOpen(false);
        }
        if (state instanceof State.HalfOpen half) {
            if (half.trialInFlight()) {
                return new Permission.Refused(clock.instant().plus(openFor));
            }
            state = new State.HalfOpen(true);
        }
        return new Permission.Granted();
    }

    /** The server answered (any answer that is not a server fault). */
    synchronized void onSuccess() {
        state = new State.Closed(0);
    }

    /** The request failed with a fault of the server or the network. */
    synchronized void onFailure() {
        if (state instanceof State.Closed closed && closed.failures() + 1 < failureThreshold) {
            state = new State.Closed(closed.failures() + 1);
        } else {
            state = new State.Open(clock.instant().plus(openFor));
        }
    }

    /** The current state, as of now. */
    synchronized State state() {
        if (state instanceof State.Open open && !clock.instant().isBefore(open.until())) {
            return new State.HalfOpen(false);
        }
        return state;
    }
}
