package org.twinbridge.connector.fhir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.testkit.LogCapture;

/**
 * Server faults injected with WireMock, seen through the connector's timer route as a node runs it: transient
 * faults are retried within the poll; a fault that outlasts the retries fails the poll with its
 * {@link FhirErrorKind}, leaves the watermark where it was and never carries or logs what the server sent; a
 * malformed body becomes a dead letter and the poll goes on. Waits are recorded, not waited.
 */
class FhirPollerFaultTest extends WireMockFhirTest {

    private static final String CONNECTOR_ID = "ehr-faulty";
    private static final String WATERMARK = "watermark:Observation";
    private static final String EARLIER_WATERMARK = "2025-01-01T00:00:00Z";
    private ManualTiming time;

    @BeforeEach
    void reset() {
        time = new ManualTiming();
    }

    @Test
    void poll_whenServerAnswers500Then503ThenPage_retries_journals_andAdvancesWatermark() throws Exception {
        sequence("/fhir/Observation", error(500), error(503), page(WireMockFhir.observation("o-1",
                "2025-02-01T00:00:00Z")));

        try (ConnectorHarness harness = harness(Map.of()).start()) {
            assertThat(harness.awaitPolls(1).get(0).failure()).isNull();

            assertThat(harness.journal().records()).extracting(CanonicalRecord::sourceId)
                    .contains("Observation/o-1");
            assertThat(harness.checkpoints().get(WATERMARK)).contains("2025-02-01T00:00:00Z");
            assertThat(time.sleeps()).startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    @Test
    void poll_whenRateLimitedWithRetryAfter_waitsThatLong_thenJournals() throws Exception {
        sequence("/fhir/Observation", error(429).withHeader("Retry-After", "17"),
                page(WireMockFhir.observation("o-1", "2025-02-01T00:00:00Z")));

        try (ConnectorHarness harness = harness(Map.of()).start()) {
            assertThat(harness.awaitPolls(1).get(0).failure()).isNull();

            assertThat(time.sleeps()).first().isEqualTo(Duration.ofSeconds(17));
            assertThat(harness.checkpoints().get(WATERMARK)).contains("2025-02-01T00:00:00Z");
        }
    }

    Stream<Arguments> lastingFaults() {
        return Stream.of(
                arguments("HTTP 500 text", error(500), FhirErrorKind.HTTP_5XX),
                arguments("HTTP 500 OperationOutcome", aResponse().withStatus(500).withHeader("Content-Type",
                        WireMockFhir.FHIR_JSON).withBody(WireMockFhir.operationOutcome("failed on " + BODY_CANARY)),
                        FhirErrorKind.HTTP_5XX),
                arguments("HTTP 401 html", error(401), FhirErrorKind.AUTH),
                arguments("HTTP 404", error(404), FhirErrorKind.REQUEST_REJECTED),
                arguments("reset", aResponse().withFault(
                        com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER),
                        FhirErrorKind.CONNECTION_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lastingFaults")
    void poll_whenFaultOutlastsRetries_failsNamingTheKind_withoutBodyText_andKeepsWatermark(String name,
            ResponseDefinitionBuilder response, FhirErrorKind kind) throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(response));

        try (LogCapture logs = LogCapture.start()) {
            Throwable failure;
            try (ConnectorHarness harness = harness(Map.of()).start()) {
                failure = harness.awaitFailure();
                assertThat(harness.checkpoints().get(WATERMARK)).contains(EARLIER_WATERMARK);
            } // stopping Camel waits for the poll in flight, so all its logging is done

            assertThat(failure).isInstanceOfSatisfying(FhirPollException.class,
                    e -> assertThat(e.kind()).isEqualTo(kind));
            assertThat(failure.getMessage()).startsWith("TB-CONN-FHIR-001").contains(CONNECTOR_ID)
                    .contains("polling Observation").contains("(" + kind + ":");
            assertThat(Throwables.chainText(failure)).noneMatch(t -> t.contains(BODY_CANARY));
            assertThat(logs.texts()).anyMatch(t -> t.contains("TB-CONN-FHIR-001"))
                    .noneMatch(t -> t.contains(BODY_CANARY));
        }
    }

    @Test
    void poll_whenServerIsUnreachable_failsAsConnectionRefused_andKeepsWatermark() throws Exception {
        int closedPort = closedPort();
        try (ConnectorHarness harness = harness(Map.of("base-url", "http://127.0.0.1:" + closedPort + "/fhir"))
                .start()) {
            Throwable failure = harness.awaitFailure();

            assertThat(failure).isInstanceOfSatisfying(FhirPollException.class,
                    e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.CONNECTION_REFUSED));
            assertThat(harness.checkpoints().get(WATERMARK)).contains(EARLIER_WATERMARK);
        }
    }

    @Test
    void poll_whenAnswerIsSlowerThanTheReadTimeout_failsAsTimeout() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(page(WireMockFhir.observation("o-1",
                "2025-02-01T00:00:00Z")).withFixedDelay(1_500)));

        try (ConnectorHarness harness = harness(Map.of("timeouts", Map.of("read", "200ms"),
                "retry", Map.of("max-attempts", "2"))).start()) {
            Throwable failure = harness.awaitFailure();

            assertThat(failure).isInstanceOfSatisfying(FhirPollException.class,
                    e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.TIMEOUT));
            assertThat(harness.journal().records()).isEmpty();
            assertThat(harness.checkpoints().get(WATERMARK)).contains(EARLIER_WATERMARK);
        }
    }

    @Test
    void polls_whileServerIsDown_openTheBreaker_whichStopsRequests_untilItHalfOpens() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(error(503)));

        try (ConnectorHarness harness = harness(Map.of("retry", Map.of("max-attempts", "2"),
                "circuit-breaker", Map.of("failure-threshold", "4", "open-for", "5m"))).start()) {
            // Poll 1: 2 attempts; poll 2: 2 attempts, the 4th failure opens the breaker; later polls send nothing.
            ConnectorHarness.awaitUntil("polls refused by the open breaker", () -> harness.awaitPolls(1).stream()
                    .anyMatch(p -> p.failure() instanceof FhirPollException e
                            && e.kind() == FhirErrorKind.CIRCUIT_OPEN));
            int refusedSoFar = harness.awaitPolls(1).size();
            harness.awaitPolls(refusedSoFar + 3);
            wireMock.verify(4, getRequestedFor(urlPathEqualTo("/fhir/Observation")));

            wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(page(
                    WireMockFhir.observation("o-9", "2025-02-01T00:00:00Z"))));
            time.advance(Duration.ofMinutes(5));
            ConnectorHarness.awaitUntil("the half-open trial to succeed and the poll to journal",
                    () -> harness.checkpoints().get(WATERMARK).orElseThrow().equals("2025-02-01T00:00:00Z"));
        }
    }

    Stream<Arguments> malformedPages() {
        String observationJson = WireMockFhir.searchset(wireMock, null, canaryObservation());
        return Stream.of(
                arguments("not JSON", "text/html", "<html><body>Welcome, " + BODY_CANARY + "</body></html>",
                        "TB-PAYLOAD-001", "not valid JSON"),
                arguments("truncated JSON", WireMockFhir.FHIR_JSON,
                        observationJson.substring(0, observationJson.indexOf(BODY_CANARY) + BODY_CANARY.length()),
                        "TB-PAYLOAD-001", "not valid JSON"),
                arguments("an OperationOutcome instead of a Bundle", WireMockFhir.FHIR_JSON,
                        WireMockFhir.operationOutcome("no results for " + BODY_CANARY), "TB-CONN-FHIR-020",
                        "is a OperationOutcome, not a Bundle"),
                arguments("JSON that is not FHIR", "application/json",
                        "{\"patients\":[\"" + BODY_CANARY + "\"]}", "TB-CONN-FHIR-020", "without 'resourceType'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPages")
    void poll_whenSearchPageIsMalformed_deadLettersIt_keepsItsWatermark_andPollsTheNextType(String name,
            String contentType, String body, String code, String reason) throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(okForContentType(contentType, body)));
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Patient")).willReturn(okForContentType(WireMockFhir.FHIR_JSON,
                "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{\"resource\":"
                        + "{\"resourceType\":\"Patient\",\"id\":\"p-1\",\"meta\":{\"lastUpdated\":"
                        + "\"2025-03-01T00:00:00Z\"}}}]}")));

        try (LogCapture logs = LogCapture.start()) {
            try (ConnectorHarness harness = harness(Map.of("resources", List.of("Observation", "Patient"))).start()) {
                assertThat(harness.awaitPolls(1).get(0).failure()).isNull();

                DeadLetter letter = harness.deadLetters().get(0);
                assertThat(letter.connectorId()).isEqualTo(CONNECTOR_ID);
                assertThat(letter.reasonCode()).isEqualTo(code);
                assertThat(letter.reason()).contains("Observation search").contains(reason)
                        .doesNotContain(BODY_CANARY);
                assertThat(new String(letter.payload(), StandardCharsets.UTF_8)).isEqualTo(body);
                assertThat(harness.checkpoints().get(WATERMARK)).contains(EARLIER_WATERMARK);
                // The next poll (every 100 ms) may already have re-read the Patient at its watermark; the node's
                // journal stores it once by its record id, this stand-in records each delivery.
                assertThat(harness.journal().records()).extracting(CanonicalRecord::sourceId).isNotEmpty()
                        .containsOnly("Patient/p-1");
                assertThat(harness.checkpoints().get("watermark:Patient")).contains("2025-03-01T00:00:00Z");
            }
            assertThat(logs.texts()).anyMatch(t -> t.contains("TB-CONN-FHIR-002") && t.contains("MALFORMED_BODY"))
                    .noneMatch(t -> t.contains(BODY_CANARY));
        }
    }

    @Test
    void poll_whenSomeEntriesAreInvalidOrOfTheWrongType_deadLettersThem_andJournalsTheRest() throws Exception {
        String page = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":["
                + entry("{\"resourceType\":\"Observation\",\"id\":\"good-1\",\"meta\":{\"lastUpdated\":"
                        + "\"2025-02-01T00:00:00Z\"},\"status\":\"final\",\"code\":{\"text\":\"pulse\"}}")
                + "," + entry("{\"resourceType\":\"Observation\",\"id\":\"bad-date\",\"status\":\"final\","
                        + "\"code\":{\"text\":\"pulse\"},\"effectiveDateTime\":\"" + BODY_CANARY + "\"}")
                + "," + entry("{\"resourceType\":\"Patient\",\"id\":\"stray\",\"name\":[{\"family\":\""
                        + BODY_CANARY + "\"}]}")
                + "," + entry("{\"resourceType\":\"Observation\",\"id\":\"good-2\",\"meta\":{\"lastUpdated\":"
                        + "\"2025-02-02T00:00:00Z\"},\"status\":\"final\",\"code\":{\"text\":\"pulse\"}}")
                + "]}";
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(okForContentType(WireMockFhir.FHIR_JSON,
                page)));

        try (ConnectorHarness harness = harness(Map.of()).start()) {
            ConnectorHarness.Poll first = harness.awaitPolls(1).get(0);
            assertThat(first.failure()).isNull();

            // The first poll's pages only: the next poll (100 ms on) reads the same page again.
            assertThat(harness.journal().records(0, first.pagesJournalled())).extracting(CanonicalRecord::sourceId)
                    .containsExactly("Observation/good-1", "Observation/good-2");
            List<DeadLetter> letters = harness.deadLetters().subList(0, 2);
            assertThat(letters).extracting(DeadLetter::reasonCode)
                    .containsExactly("TB-PAYLOAD-003", "TB-CONN-FHIR-021");
            assertThat(letters.get(0).reason()).startsWith("entry 2 of a Observation search page")
                    .contains("effectiveDateTime");
            assertThat(letters.get(1).reason()).isEqualTo("entry 3 of a Observation search page is a Patient, "
                    + "not a Observation");
            assertThat(letters).allSatisfy(l -> assertThat(l.reason()).doesNotContain(BODY_CANARY));
            assertThat(new String(letters.get(1).payload(), StandardCharsets.UTF_8)).contains("\"stray\"");
            assertThat(harness.checkpoints().get(WATERMARK)).contains("2025-02-02T00:00:00Z");
        }
    }

    @Test
    void poll_whenDeadLetterStoreFails_failsAsJournal_andKeepsWatermark() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(okForContentType("text/html", "<p>")));
        ConnectorHarness harness = ConnectorHarness.create(CONNECTOR_ID, settings(Map.of()));
        harness.checkpoints().put(WATERMARK, EARLIER_WATERMARK);
        try (ConnectorHarness started = harness.withTiming(time.timing()).withoutDeadLetterStore().start()) {
            Throwable failure = started.awaitFailure();

            assertThat(failure).isInstanceOfSatisfying(FhirPollException.class,
                    e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.JOURNAL));
            assertThat(started.checkpoints().get(WATERMARK)).contains(EARLIER_WATERMARK);
        }
    }

    @Test
    void poll_whenALaterPageFails_keepsWatermark_soOlderRecordsOnThatPageAreNotSkipped() throws Exception {
        // Without _sort, a server may return pages in any order: page 2 can hold a record older than page 1's.
        String nextUrl = WireMockFhir.baseUrl(wireMock) + "?_getpages=s1&_getpagesoffset=1&_count=1";
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(page(
                WireMockFhir.observation("newer", "2025-03-01T12:00:00Z")).withBody(WireMockFhir.searchset(wireMock,
                        nextUrl, WireMockFhir.observation("newer", "2025-03-01T12:00:00Z")))));
        wireMock.stubFor(get(urlPathEqualTo("/fhir")).willReturn(error(500)));

        try (ConnectorHarness harness = harness(Map.of()).start()) {
            Throwable failure = harness.awaitFailure();

            assertThat(failure).isInstanceOfSatisfying(FhirPollException.class,
                    e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.HTTP_5XX));
            assertThat(harness.journal().records()).extracting(CanonicalRecord::sourceId)
                    .contains("Observation/newer");
            assertThat(harness.checkpoints().get(WATERMARK)).contains(EARLIER_WATERMARK);

            wireMock.stubFor(get(urlPathEqualTo("/fhir")).willReturn(page(WireMockFhir.observation("older",
                    "2025-02-01T00:00:00Z"))));
            ConnectorHarness.awaitUntil("the watermark to advance after the server recovers",
                    () -> !harness.checkpoints().get(WATERMARK).orElseThrow().equals(EARLIER_WATERMARK));
            assertThat(harness.journal().records()).extracting(CanonicalRecord::sourceId)
                    .contains("Observation/older");
            assertThat(harness.checkpoints().get(WATERMARK)).contains("2025-03-01T12:00:00Z");
        }
    }

    @Test
    void poll_whenNextLinkPointsToAnotherServer_doesNotFollowIt() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(okForContentType(WireMockFhir.FHIR_JSON,
                WireMockFhir.searchset(wireMock, "http://collector.example.net/steal?page=2",
                        WireMockFhir.observation("o-1", "2025-02-01T00:00:00Z")))));

        try (ConnectorHarness harness = harness(Map.of()).start()) {
            Throwable failure = harness.awaitFailure();

            assertThat(failure).isInstanceOfSatisfying(FhirPollException.class,
                    e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.REQUEST_REJECTED));
            assertThat(failure.getMessage()).contains("another server");
            assertThat(harness.checkpoints().get(WATERMARK)).contains(EARLIER_WATERMARK);
        }
    }

    @Test
    void pollFailure_keepsTheCauseTypeAndStack_butNotItsMessage() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(error(500)));

        try (ConnectorHarness harness = harness(Map.of("retry", Map.of("max-attempts", "1"))).start()) {
            Throwable failure = harness.awaitFailure();

            assertThat(failure.getCause()).isNotNull();
            assertThat(failure.getCause().getMessage()).contains("FhirCallException").contains("HTTP_5XX");
            assertThat(failure.getCause().getStackTrace())
                    .anyMatch(f -> f.getClassName().equals(FhirHttp.class.getName()));
            assertThat(Throwables.chainText(failure)).noneMatch(t -> t.contains(BODY_CANARY));
        }
    }

    private static String entry(String resource) {
        return "{\"resource\":" + resource + ",\"search\":{\"mode\":\"match\"}}";
    }

    private static Observation canaryObservation() {
        Observation observation = WireMockFhir.observation("o-1", "2025-02-01T00:00:00Z");
        observation.getCode().setText(BODY_CANARY);
        return observation;
    }

    private ResponseDefinitionBuilder page(Observation... observations) {
        return okForContentType(WireMockFhir.FHIR_JSON, WireMockFhir.searchset(wireMock, null, observations));
    }

    private Map<String, Object> settings(Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(Map.of("base-url", WireMockFhir.baseUrl(wireMock),
                "poll", "100ms", "resources", List.of("Observation"), "page-size", "10"));
        settings.putAll(overrides);
        return settings;
    }

    private ConnectorHarness harness(Map<String, Object> overrides) {
        ConnectorHarness harness = ConnectorHarness.create(CONNECTOR_ID, settings(overrides));
        harness.checkpoints().put(WATERMARK, EARLIER_WATERMARK);
        return harness.withTiming(time.timing());
    }
}
