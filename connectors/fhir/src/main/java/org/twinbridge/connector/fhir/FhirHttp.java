package org.twinbridge.connector.fhir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP to one server, with the connector's fault handling: timeouts, retries with exponential backoff and jitter
 * on transient faults (5xx, 429, timeouts, refused or broken connections), the server's {@code Retry-After}
 * honoured, a circuit breaker, and one fresh token after a 401 when the credentials can refresh. Redirects are
 * not followed, so that credentials never travel to another host. Logs name the connector, the request's purpose
 * and the kind of fault, never a body. Thread-safe.
 */
final class FhirHttp {

    private static final Logger LOG = LoggerFactory.getLogger(FhirHttp.class);
    private final String connectorId;
    private final ResilienceSettings settings;
    private final Credentials credentials;
    private final Timing timing;
    private final CircuitBreaker breaker;
    private final HttpClient client;
    private volatile Instant holdOffUntil = Instant.MIN;

    /** A 2xx answer. */
    record Answer<T>(int status, java.net.http.HttpHeaders headers, T body) {
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /** The outcome of one attempt: an answer of any status, or a transport failure. */
    private sealed interface Attempt<T> {
        record Answered<T>(HttpResponse<T> response) implements Attempt<T> {
        }

        record Failed<T>(FhirErrorKind kind, String detail, IOException cause) implements Attempt<T> {
        }
    }

    FhirHttp(String connectorId, ResilienceSettings settings, Credentials credentials, Timing timing) {
        this.connectorId = connectorId;
        this.settings = settings;
        this.credentials = credentials;
        this.timing = timing;
        this.breaker = new CircuitBreaker(settings.failureThreshold(), settings.openFor(), timing.clock());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The circuit breaker's state, for tests and status reports. */
    CircuitBreaker.State breakerState() {
        return breaker.state();
    }

    /**
     * Sends the request until it gets a 2xx answer, or fails.
     *
     * @param purpose what the request is for, in words fit for a log (no content), e.g. {@code search Patient}
     * @throws FhirCallException with the kind of the last failure once retries are spent, at once for a
     *                           failure that is not transient, or without sending when the breaker is open
     */
    <T> Answer<T> send(String purpose, HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws FhirCallException {
        int attempt = 0;
        RetryPolicy.Retries retries = settings.retry().retries(timing.random());
        boolean reauthenticated = false;
        FhirCallException last = null;
        while (true) {
            Instant now = timing.clock().instant();
            if (now.isBefore(holdOffUntil)) {
                throw new FhirCallException(FhirErrorKind.RATE_LIMITED,
                        "the server asked to be left alone until " + holdOffUntil);
            }
            if (breaker.acquire() instanceof CircuitBreaker.Permission.Refused refused) {
                throw last != null ? last : new FhirCallException(FhirErrorKind.CIRCUIT_OPEN,
                        "circuit breaker open after repeated failures; next try after " + refused.retryAt());
            }
            attempt++;
            Attempt<T> outcome = attempt(request, body);
            if (outcome instanceof Attempt.Answered<T> answered) {
                HttpResponse<T> response = answered.response();
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    breaker.onSuccess();
                    return new Answer<>(status, response.headers(), response.body());
                }
                if (status == 401 && !reauthenticated && credentials.invalidate()) {
                    breaker.onSuccess();
                    reauthenticated = true;
                    attempt--; // a refused token is not the server's fault, and costs no retry (nor tells retries)
                    LOG.info("connector {}: {} answered 401; fetching a new access token", connectorId, purpose);
                    continue;
                }
                last = new FhirCallException(kindOf(status), "HTTP " + status
                        + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
            } else {
                Attempt.Failed<T> failed = (Attempt.Failed<T>) outcome;
                last = new FhirCallException(failed.kind(), failed.detail(), failed.cause());
            }
            if (isServerFault(last.kind())) {
                breaker.onFailure();
            } else {
                breaker.onSuccess(); // the server answered: it is alive, whatever it said
            }
            Optional<Duration> retryAfter = outcome instanceof Attempt.Answered<T> a
                    ? RetryAfter.parse(a.response().headers().firstValue("Retry-After").orElse(null), now)
                    : Optional.empty();
            RetryPolicy.Decision decision = retries.afterFailure(last.kind(), retryAfter);
            if (decision instanceof RetryPolicy.Decision.GiveUp giveUp) {
                if (giveUp.holdOff().isPresent()) {
                    holdOffUntil = now.plus(giveUp.holdOff().get());
                    LOG.warn("connector {}: {} failed ({}); the server asked for a pause of {}s, so requests wait "
                            + "until then", connectorId, purpose, last.getMessage(),
                            giveUp.holdOff().get().toSeconds());
                }
                throw last;
            }
            Duration delay = ((RetryPolicy.Decision.Retry) decision).delay();
            LOG.warn("connector {}: {} failed ({}, {}), attempt {} of {}; retrying in {} ms", connectorId, purpose,
                    last.kind(), last.getMessage(), attempt, settings.retry().maxAttempts(), delay.toMillis());
            try {
                timing.sleeper().sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw last;
            }
        }
    }

    private <T> Attempt<T> attempt(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws FhirCallException {
        HttpRequest.Builder copy = request.copy().timeout(settings.readTimeout());
        credentials.authorization().ifPresent(value -> copy.setHeader("Authorization", value));
        try {
            return new Attempt.Answered<>(client.send(copy.build(), body));
        } catch (ConnectException e) {
            return new Attempt.Failed<>(FhirErrorKind.CONNECTION_REFUSED, "connection refused", e);
        } catch (HttpTimeoutException e) {
            return new Attempt.Failed<>(FhirErrorKind.TIMEOUT, "no answer within the timeout", e);
        } catch (IOException e) {
            return new Attempt.Failed<>(FhirErrorKind.CONNECTION_FAILED, "connection failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirCallException(FhirErrorKind.CONNECTION_FAILED, "interrupted", e);
        }
    }

    private static FhirErrorKind kindOf(int status) {
        if (status == 429) {
            return FhirErrorKind.RATE_LIMITED;
        }
        if (status == 401 || status == 403) {
            return FhirErrorKind.AUTH;
        }
        // 501 and 505 say the server will never do this, however often it is asked.
        if (status >= 500 && status != 501 && status != 505) {
            return FhirErrorKind.HTTP_5XX;
        }
        return FhirErrorKind.REQUEST_REJECTED;
    }

    private static boolean isServerFault(FhirErrorKind kind) {
        return kind.isTransient() && kind != FhirErrorKind.RATE_LIMITED;
    }
}
