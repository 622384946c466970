package org.twinbridge.connector.fhir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twinbridge.connector.fhir.CircuitBreaker.State;

/**
 * Every fault {@link FhirHttp} handles, injected with WireMock: which are retried, how long it waits (recorded by
 * a manual clock, so nothing really waits except for the timeout case), and when the circuit breaker stops
 * sending. Backoff in these tests: 1 s, 2 s, 4 s, ... up to 30 s, no jitter.
 */
class FhirHttpFaultTest extends WireMockFhirTest {

    private static final String PATH = "/fhir/Patient";
    private static final RetryPolicy RETRY = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0,
            0.0, Duration.ofMinutes(2));
    private ManualTiming time;

    @BeforeEach
    void reset() {
        time = new ManualTiming();
    }

    @Test
    void serverErrors_500Then503ThenSuccess_areRetriedWithExponentialBackoff() throws Exception {
        sequence(PATH, error(500), error(503), ok("{\"resourceType\":\"Bundle\"}"));

        FhirHttp.Answer<String> answer = fetch(http(RETRY, 5));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("Bundle");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        wireMock.verify(3, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void backoff_isJittered_byTheRandomSource() throws Exception {
        time = new ManualTiming(time.now(), 0.5);
        sequence(PATH, error(502), error(504), ok("{}"));

        fetch(http(new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.5, Duration.ofMinutes(2)),
                5));

        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500));
    }

    @Test
    void persistentServerError_failsAfterMaxAttempts_asHttp5xx_withoutTheBody() {
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(error(500)));

        assertThatThrownBy(() -> fetch(http(RETRY, 50))).isInstanceOfSatisfying(FhirCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(FhirErrorKind.HTTP_5XX);
            assertThat(e.getMessage()).isEqualTo("HTTP 500");
            assertThat(Throwables.chainText(e)).noneMatch(t -> t.contains(BODY_CANARY));
        });
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        wireMock.verify(4, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void tooManyRequests_withRetryAfterSeconds_waitsThatLong() throws Exception {
        sequence(PATH, error(429).withHeader("Retry-After", "7"), ok("{}"));

        fetch(http(RETRY, 5));

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void tooManyRequests_withRetryAfterHttpDate_waitsUntilThen() throws Exception {
        String in45s = DateTimeFormatter.RFC_1123_DATE_TIME.format(time.now().plusSeconds(45).atOffset(ZoneOffset.UTC));
        sequence(PATH, error(429).withHeader("Retry-After", in45s), ok("{}"));

        fetch(http(RETRY, 5));

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(45));
    }

    @Test
    void serviceUnavailable_withRetryAfter_waitsThatLong_insteadOfTheBackoff() throws Exception {
        sequence(PATH, error(503).withHeader("Retry-After", "12"), ok("{}"));

        fetch(http(RETRY, 5));

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(12));
    }

    @Test
    void tooManyRequests_withRetryAfterBeyondTheMaximum_failsAtOnce_andSendsNothingUntilThen() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(error(429).withHeader("Retry-After", "3600")));
        FhirHttp http = http(RETRY, 5);

        assertThatThrownBy(() -> fetch(http)).isInstanceOfSatisfying(FhirCallException.class,
                e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.RATE_LIMITED));
        time.advance(Duration.ofMinutes(59));
        assertThatThrownBy(() -> fetch(http)).isInstanceOfSatisfying(FhirCallException.class,
                e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.RATE_LIMITED));
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(time.sleeps()).isEmpty();

        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(ok("{}")));
        time.advance(Duration.ofMinutes(1));
        assertThat(fetch(http).status()).isEqualTo(200);
    }

    @Test
    void answerSlowerThanTheReadTimeout_isATimeout_andIsRetried() throws Exception {
        sequence(PATH, ok("{}").withFixedDelay(2_000), ok("{\"second\":true}"));
        ResilienceSettings settings = new ResilienceSettings(Duration.ofSeconds(2), Duration.ofMillis(300), RETRY, 5,
                Duration.ofMinutes(1));
        FhirHttp http = new FhirHttp("ehr-test", settings, Credentials.NONE, time.timing());

        assertThat(fetch(http).body()).contains("second");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void answerAlwaysSlowerThanTheReadTimeout_failsAsTimeout() {
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(ok("{}").withFixedDelay(2_000)));
        ResilienceSettings settings = new ResilienceSettings(Duration.ofSeconds(2), Duration.ofMillis(300),
                new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, 0.0, Duration.ZERO), 5,
                Duration.ofMinutes(1));
        FhirHttp http = new FhirHttp("ehr-test", settings, Credentials.NONE, time.timing());

        assertThatThrownBy(() -> fetch(http)).isInstanceOfSatisfying(FhirCallException.class,
                e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.TIMEOUT));
    }

    @Test
    void closedPort_isConnectionRefused_retried_thenFails() throws Exception {
        int closedPort = closedPort();
        FhirHttp http = http(RETRY, 50);

        assertThatThrownBy(() -> http.send("search Patient", HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + closedPort + PATH)), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(FhirCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FhirErrorKind.CONNECTION_REFUSED);
                    assertThat(e.getMessage()).isEqualTo("connection refused");
                });
        assertThat(time.sleeps()).hasSize(3);
    }

    @Test
    void connectionReset_isRetried_thenFailsAsConnectionFailed() {
        // The JDK client itself resends a GET once when a kept-alive connection is reset; what outlasts that is ours.
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> fetch(http(RETRY, 50))).isInstanceOfSatisfying(FhirCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(FhirErrorKind.CONNECTION_FAILED);
            assertThat(e.getMessage()).isEqualTo("connection failed");
        });
        assertThat(time.sleeps()).hasSize(3);
    }

    @Test
    void clientErrors_andRedirects_areNotRetried() {
        for (int status : List.of(400, 404, 410, 501, 302)) {
            wireMock.resetAll();
            wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(error(status).withHeader("Location",
                    "http://elsewhere.example/")));

            assertThatThrownBy(() -> fetch(http(RETRY, 5))).isInstanceOfSatisfying(FhirCallException.class, e -> {
                assertThat(e.kind()).isEqualTo(FhirErrorKind.REQUEST_REJECTED);
                assertThat(e.getMessage()).startsWith("HTTP " + status);
            });
            wireMock.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
        }
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void unauthorised_withStaticCredentials_failsAsAuth_withoutRetrying() {
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(error(401)));

        assertThatThrownBy(() -> fetch(http(RETRY, 5))).isInstanceOfSatisfying(FhirCallException.class,
                e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.AUTH));
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void breaker_opensAfterThresholdFailures_andThenSendsNothing() {
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(error(503)));
        FhirHttp http = http(RETRY, 6);

        // 4 attempts, then 2 more: the 6th failure opens the breaker, which also cuts that call's retries short.
        assertThatThrownBy(() -> fetch(http)).isInstanceOfSatisfying(FhirCallException.class,
                e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.HTTP_5XX));
        assertThatThrownBy(() -> fetch(http)).isInstanceOfSatisfying(FhirCallException.class,
                e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.HTTP_5XX));
        assertThat(http.breakerState()).isInstanceOf(State.Open.class);
        wireMock.verify(6, getRequestedFor(urlPathEqualTo(PATH)));

        assertThatThrownBy(() -> fetch(http)).isInstanceOfSatisfying(FhirCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(FhirErrorKind.CIRCUIT_OPEN);
            assertThat(e.getMessage()).contains("circuit breaker open");
        });
        wireMock.verify(6, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void breaker_halfOpensAfterOpenFor_andOneSuccessfulTrialClosesIt() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(error(500)));
        FhirHttp http = http(new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0, Duration.ZERO), 2);
        assertThatThrownBy(() -> fetch(http)).isInstanceOf(FhirCallException.class);
        assertThatThrownBy(() -> fetch(http)).isInstanceOf(FhirCallException.class);
        assertThat(http.breakerState()).isInstanceOf(State.Open.class);

        time.advance(Duration.ofMinutes(1));
        assertThat(http.breakerState()).isEqualTo(new State.HalfOpen(false));
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(ok("{}")));

        assertThat(fetch(http).status()).isEqualTo(200);
        assertThat(http.breakerState()).isEqualTo(new State.Closed(0));
        wireMock.verify(3, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void breaker_halfOpenTrialThatFails_opensItAgain_withOneRequestOnly() {
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(error(500)));
        FhirHttp http = http(RETRY, 2);
        assertThatThrownBy(() -> fetch(http)).isInstanceOf(FhirCallException.class);
        wireMock.verify(2, getRequestedFor(urlPathEqualTo(PATH)));

        time.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> fetch(http)).isInstanceOfSatisfying(FhirCallException.class,
                e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.HTTP_5XX));

        assertThat(http.breakerState()).isInstanceOf(State.Open.class);
        wireMock.verify(3, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void clientErrors_doNotOpenTheBreaker() {
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(error(404)));
        FhirHttp http = http(RETRY, 2);

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> fetch(http)).isInstanceOf(FhirCallException.class);
        }

        assertThat(http.breakerState()).isEqualTo(new State.Closed(0));
        wireMock.verify(5, getRequestedFor(urlPathEqualTo(PATH)));
    }

    private FhirHttp http(RetryPolicy retry, int failureThreshold) {
        ResilienceSettings settings = new ResilienceSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), retry,
                failureThreshold, Duration.ofMinutes(1));
        return new FhirHttp("ehr-test", settings, Credentials.NONE, time.timing());
    }

    private FhirHttp.Answer<String> fetch(FhirHttp http) throws FhirCallException {
        return http.send("search Patient", HttpRequest.newBuilder(URI.create(wireMock.baseUrl() + PATH)),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
