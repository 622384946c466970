package org.twinbridge.connector.fhir;

import org.twinbridge.testkit.LogCapture;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Server faults injected with WireMock: each fails the poll with a {@link FhirPollException} that names the
 * kind of fault, leaves the watermark where it was, and never carries or logs what the server sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FhirPollerFaultTest {

    private static final String CONNECTOR_ID = "ehr-faulty";
    private static final String WATERMARK = "watermark:Observation";
    private static final String EARLIER_WATERMARK = "2025-01-01T00:00:00Z";
    // Stands for patient data that a server echoes into an error body.
    private static final String BODY_CANARY = "Philomena-Brackenridge-1957-03-14";
    private WireMockServer wireMock;

    @BeforeAll
    void startWireMock() {
        wireMock = WireMockFhir.start();
    }

    @AfterAll
    void stopWireMock() {
        wireMock.stop();
    }

    @BeforeEach
    void resetStubs() {
        wireMock.resetAll();
    }

    Stream<Arguments> errorResponses() {
        return Stream.of(
                arguments(500, "text/plain", "NullPointerException while reading " + BODY_CANARY),
                arguments(500, WireMockFhir.FHIR_JSON, WireMockFhir.operationOutcome("failed on " + BODY_CANARY)),
                arguments(401, "text/html", "<html><body>no access to " + BODY_CANARY + "</body></html>"),
                arguments(503, "application/json", "{\"error\":\"" + BODY_CANARY + "\"}"));
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @MethodSource("errorResponses")
    void poll_whenServerAnswersWithError_failsNamingTheStatus_withoutBodyText_andKeepsWatermark(int status,
            String contentType, String body) throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", contentType).withBody(body)));

        assertFailedPoll("HTTP " + status);
    }

    @Test
    void poll_whenBodyIsTruncatedJson_failsAsMalformedResponse_andKeepsWatermark() throws Exception {
        Observation observation = WireMockFhir.observation("o-1", "2025-02-01T00:00:00Z");
        observation.getCode().setText(BODY_CANARY);
        String whole = WireMockFhir.searchset(wireMock, null, observation);
        String truncated = whole.substring(0, whole.indexOf(BODY_CANARY) + BODY_CANARY.length());
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation"))
                .willReturn(okForContentType(WireMockFhir.FHIR_JSON, truncated)));

        assertFailedPoll("malformed response");
    }

    @Test
    void poll_whenBodyIsNotFhir_failsAsNonFhirResponse_andKeepsWatermark() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(
                okForContentType("text/html", "<html><body>Welcome, " + BODY_CANARY + "</body></html>")));

        assertFailedPoll("non-FHIR response");
    }

    @Test
    void poll_whenConnectionIsReset_failsAsConnectionFailure_andKeepsWatermark() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertFailedPoll("connection failed");
    }

    @Test
    void poll_whenServerIsUnreachable_failsAsConnectionFailure_andKeepsWatermark() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (ConnectorHarness harness = harness("http://127.0.0.1:" + closedPort + "/fhir")) {
            Throwable failure = harness.awaitFailure();

            assertThat(failure).isInstanceOf(FhirPollException.class);
            assertThat(failure.getMessage()).startsWith("TB-CONN-FHIR-001").contains("(connection failed)");
            assertThat(harness.checkpoints().get(WATERMARK)).contains(EARLIER_WATERMARK);
        }
    }

    @Test
    void poll_whenALaterPageFails_keepsWatermark_soOlderRecordsOnThatPageAreNotSkipped() throws Exception {
        // Without _sort, a server may return pages in any order: page 2 can hold a record older than page 1's.
        String nextUrl = WireMockFhir.baseUrl(wireMock) + "?_getpages=s1&_getpagesoffset=1&_count=1";
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(okForContentType(
                WireMockFhir.FHIR_JSON, WireMockFhir.searchset(wireMock, nextUrl,
                        WireMockFhir.observation("newer", "2025-03-01T12:00:00Z")))));
        wireMock.stubFor(get(urlPathEqualTo("/fhir")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "text/plain").withBody("page lost " + BODY_CANARY)));

        try (ConnectorHarness harness = harness(WireMockFhir.baseUrl(wireMock))) {
            Throwable failure = harness.awaitFailure();

            assertThat(failure).isInstanceOf(FhirPollException.class);
            assertThat(failure.getMessage()).contains("(HTTP 500)");
            assertThat(harness.journal().records()).extracting(r -> r.sourceId()).contains("Observation/newer");
            assertThat(harness.checkpoints().get(WATERMARK)).contains(EARLIER_WATERMARK);

            wireMock.stubFor(get(urlPathEqualTo("/fhir")).willReturn(okForContentType(WireMockFhir.FHIR_JSON,
                    WireMockFhir.searchset(wireMock, null, WireMockFhir.observation("older",
                            "2025-02-01T00:00:00Z")))));
            ConnectorHarness.awaitUntil("the watermark to advance after the server recovers",
                    () -> !harness.checkpoints().get(WATERMARK).orElseThrow().equals(EARLIER_WATERMARK));
            assertThat(harness.journal().records()).extracting(r -> r.sourceId()).contains("Observation/older");
            assertThat(harness.checkpoints().get(WATERMARK)).contains("2025-03-01T12:00:00Z");
        }
    }

    @Test
    void pollFailure_keepsTheCauseTypeAndStack_butNotItsMessage() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "text/plain").withBody("boom " + BODY_CANARY)));

        try (ConnectorHarness harness = harness(WireMockFhir.baseUrl(wireMock))) {
            Throwable failure = harness.awaitFailure();

            assertThat(failure.getCause()).isNotNull();
            assertThat(failure.getCause().getMessage()).contains("InternalErrorException");
            assertThat(failure.getCause().getStackTrace()).anyMatch(f -> f.getClassName().startsWith("ca.uhn.fhir"));
            assertThat(failure.getStackTrace()).anyMatch(f -> f.getClassName().equals(FhirPoller.class.getName()));
            assertThat(Throwables.chainText(failure)).noneMatch(t -> t.contains(BODY_CANARY));
        }
    }

    private void assertFailedPoll(String kind) throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            Throwable failure;
            try (ConnectorHarness harness = harness(WireMockFhir.baseUrl(wireMock))) {
                failure = harness.awaitFailure();
                assertThat(harness.checkpoints().get(WATERMARK)).contains(EARLIER_WATERMARK);
            } // stopping Camel waits for the poll in flight, so all its logging is done

            assertThat(failure).isInstanceOf(FhirPollException.class);
            assertThat(failure.getMessage()).startsWith("TB-CONN-FHIR-001").contains(CONNECTOR_ID)
                    .contains("Observation").contains("(" + kind);
            assertThat(Throwables.chainText(failure)).noneMatch(t -> t.contains(BODY_CANARY));
            List<String> logged = logs.texts();
            assertThat(logged).anyMatch(t -> t.contains("TB-CONN-FHIR-001"));
            assertThat(logged).noneMatch(t -> t.contains(BODY_CANARY));
        }
    }

    private static ConnectorHarness harness(String baseUrl) throws Exception {
        ConnectorHarness harness = ConnectorHarness.create(CONNECTOR_ID, Map.of("base-url", baseUrl,
                "poll", "100ms", "resources", List.of("Observation"), "page-size", "10"));
        harness.checkpoints().put(WATERMARK, EARLIER_WATERMARK);
        return harness.start();
    }
}
