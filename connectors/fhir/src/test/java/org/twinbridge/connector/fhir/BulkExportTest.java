package org.twinbridge.connector.fhir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.testkit.LogCapture;

/**
 * The first load by {@code $export}, against WireMock playing a Bulk Data server (the embedded HAPI RestfulServer
 * has no {@code $export}) whose output files are real Synthea bulk NDJSON. Waits between status checks follow the
 * manual clock, so the test decides when the server's {@code Retry-After} has passed.
 */
class BulkExportTest extends WireMockFhirTest {

    private static final String CONNECTOR_ID = "ehr-bulk";
    private static final List<String> TYPES = List.of("Patient", "AllergyIntolerance", "Immunization");
    private static final String STATUS = "/bulk/status/job-1";
    private static final String TRANSACTION_TIME = "2026-01-10T08:00:00Z";
    private ManualTiming time;

    @BeforeEach
    void reset() {
        time = new ManualTiming();
        for (String type : TYPES) {
            wireMock.stubFor(get(urlPathEqualTo("/fhir/" + type)).willReturn(okForContentType(WireMockFhir.FHIR_JSON,
                    "{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}")));
            wireMock.stubFor(get(urlPathEqualTo("/bulk/files/" + type + ".ndjson")).willReturn(okForContentType(
                    "application/fhir+ndjson", ndjson(type))));
        }
        wireMock.stubFor(delete(urlPathEqualTo(STATUS)).willReturn(aResponse().withStatus(202)));
    }

    @Test
    void firstLoad_exportsHonouringRetryAfter_journalsEveryFile_setsWatermarks_thenPollsIncrementally()
            throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/$export")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Location", root() + STATUS)));
        wireMock.stubFor(get(urlPathEqualTo(STATUS)).inScenario("export").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(202).withHeader("X-Progress", "Exporting: 50% complete")
                        .withHeader("Retry-After", "3")).willSetStateTo("complete"));
        wireMock.stubFor(get(urlPathEqualTo(STATUS)).inScenario("export").whenScenarioStateIs("complete")
                .willReturn(okJson(manifest(TYPES))));

        try (LogCapture logs = LogCapture.start();
                ConnectorHarness harness = harness(Map.of()).start()) {
            ConnectorHarness.awaitUntil("the kick-off", () -> harness.checkpoints().get(BulkExport.JOB).isPresent());
            harness.awaitPolls(harness.awaitPolls(1).size() + 2);
            assertThat(statusChecks()).as("no status check before status-interval (10s) has passed").isZero();
            time.advance(Duration.ofSeconds(10));
            ConnectorHarness.awaitUntil("the first status check", () -> statusChecks() == 1);
            harness.awaitPolls(harness.awaitPolls(1).size() + 3);
            assertThat(statusChecks()).as("no status check before Retry-After has passed").isEqualTo(1);
            assertThat(harness.journal().records()).isEmpty();
            wireMock.verify(0, getRequestedFor(urlPathEqualTo("/fhir/Patient")));

            time.advance(Duration.ofSeconds(3));
            ConnectorHarness.awaitUntil("the export to be journalled",
                    () -> harness.checkpoints().get(BulkExport.DONE).isPresent());

            assertThat(harness.journal().records()).extracting(CanonicalRecord::sourceId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(sourceIds(TYPES));
            assertThat(harness.journal().pages()).extracting(List::size).allMatch(size -> size <= 50);
            for (String type : TYPES) {
                assertThat(harness.checkpoints().get(Watermarks.name(type))).contains(TRANSACTION_TIME);
            }
            assertThat(harness.checkpoints().get(BulkExport.JOB)).contains("");
            assertThat(harness.deadLetters()).isEmpty();
            wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir/$export"))
                    .withHeader("Prefer", equalTo("respond-async"))
                    .withHeader("Accept", equalTo("application/fhir+json"))
                    .withQueryParam("_type", equalTo("Patient,AllergyIntolerance,Immunization"))
                    .withQueryParam("_outputFormat", equalTo("application/fhir+ndjson")));
            wireMock.verify(1, deleteRequestedFor(urlPathEqualTo(STATUS)));

            ConnectorHarness.awaitUntil("an incremental search from the transaction time", () -> !wireMock.findAll(
                    getRequestedFor(urlPathEqualTo("/fhir/Patient")).withQueryParam("_lastUpdated",
                            equalTo("ge" + TRANSACTION_TIME))).isEmpty());
            wireMock.verify(1, getRequestedFor(urlPathEqualTo("/fhir/$export")));
            assertThat(logs.texts()).anyMatch(t -> t.contains("bulk export in progress (X-Progress: Exporting: 50% "
                    + "complete)") && t.contains("next status check in 3s"))
                    .anyMatch(t -> t.contains("bulk export complete, 185 resources journalled"));
        }
    }

    @Test
    void export_whenServerHasNoBulkExport_fallsBackToSearchingFromTheBeginning() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/$export")).willReturn(aResponse().withStatus(404)));

        try (LogCapture logs = LogCapture.start();
                ConnectorHarness harness = harness(Map.of()).start()) {
            assertThat(harness.awaitPolls(1).get(0).failure()).isNull();

            assertThat(harness.checkpoints().get(BulkExport.DONE)).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("unsupported"));
            wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir/Patient")).withoutQueryParam("_lastUpdated"));
            assertThat(logs.texts()).anyMatch(t -> t.contains("TB-CONN-FHIR-030"));
        }
    }

    @Test
    void export_deadLettersBadLines_andJournalsTheRest() throws Exception {
        String[] patients = ndjson("Patient").split("\n");
        String file = patients[0] + "\n{\"resourceType\":\"Patient\",\"id\":\"cut-off\n" + patients[1] + "\n"
                + ndjson("Immunization").split("\n")[0] + "\n" + patients[2] + "\n";
        wireMock.stubFor(get(urlPathEqualTo("/bulk/files/Patient.ndjson")).willReturn(okForContentType(
                "application/fhir+ndjson", file)));
        wireMock.stubFor(get(urlPathEqualTo("/fhir/$export")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Location", STATUS).withHeader("Retry-After", "0")));
        wireMock.stubFor(get(urlPathEqualTo(STATUS)).willReturn(okJson(manifest(List.of("Patient")))));

        try (ConnectorHarness harness = harness(Map.of()).start()) {
            ConnectorHarness.awaitUntil("the export to be journalled",
                    () -> harness.checkpoints().get(BulkExport.DONE).isPresent());

            assertThat(harness.journal().records()).hasSize(3);
            assertThat(harness.deadLetters()).extracting(DeadLetter::reasonCode)
                    .containsExactly("TB-PAYLOAD-001", "TB-CONN-FHIR-021");
            assertThat(harness.deadLetters().get(0).reason()).contains("Patient export file").contains("line 2");
            assertThat(harness.deadLetters().get(1).reason()).isEqualTo("line 4 of a Patient export file is not a "
                    + "Patient");
            assertThat(harness.checkpoints().get(Watermarks.name("Patient"))).contains(TRANSACTION_TIME);
        }
    }

    @Test
    void export_afterRestart_resumesTheRecordedJob_insteadOfStartingAnother() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo(STATUS)).willReturn(okJson(manifest(TYPES))));
        ConnectorHarness harness = harness(Map.of());
        harness.checkpoints().put(BulkExport.JOB, root() + STATUS);

        try (ConnectorHarness started = harness.start()) {
            ConnectorHarness.awaitUntil("the export to be journalled",
                    () -> started.checkpoints().get(BulkExport.DONE).isPresent());

            wireMock.verify(0, getRequestedFor(urlPathEqualTo("/fhir/$export")));
            assertThat(started.journal().records()).hasSize(185);
        }
    }

    @Test
    void export_whenWatermarksExist_isSkipped() throws Exception {
        ConnectorHarness harness = harness(Map.of());
        harness.checkpoints().put(Watermarks.name("Patient"), "2025-06-01T00:00:00Z");

        try (ConnectorHarness started = harness.start()) {
            assertThat(started.awaitPolls(1).get(0).failure()).isNull();

            assertThat(started.checkpoints().get(BulkExport.DONE)).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("skipped"));
            wireMock.verify(0, getRequestedFor(urlPathMatching(".*\\$export.*")));
        }
    }

    @Test
    void export_statusUrlOnAnotherServer_isNotFollowed_andSearchLoadsEverythingInstead() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/$export")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Location", "http://collector.example.net/status/1")));

        try (LogCapture logs = LogCapture.start();
                ConnectorHarness harness = harness(Map.of()).start()) {
            assertThat(harness.awaitPolls(1).get(0).failure()).isNull();

            assertThat(harness.checkpoints().get(BulkExport.JOB)).isEmpty();
            assertThat(harness.checkpoints().get(BulkExport.DONE)).hasValueSatisfying(v -> assertThat(v)
                    .contains("another server"));
            wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir/Patient")).withoutQueryParam("_lastUpdated"));
            assertThat(logs.texts()).anyMatch(t -> t.contains("TB-CONN-FHIR-030"));
        }
    }

    @Test
    void export_statusAndDownloadFaults_areRetriedByTheClientsTransport_honouringRetryAfter() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/$export")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Location", STATUS).withHeader("Retry-After", "0")));
        wireMock.stubFor(get(urlPathEqualTo(STATUS)).inScenario("status").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("ready"));
        wireMock.stubFor(get(urlPathEqualTo(STATUS)).inScenario("status").whenScenarioStateIs("ready")
                .willReturn(okJson(manifest(List.of("Patient")))));
        wireMock.stubFor(get(urlPathEqualTo("/bulk/files/Patient.ndjson")).inScenario("file")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503))
                .willSetStateTo("ready"));
        wireMock.stubFor(get(urlPathEqualTo("/bulk/files/Patient.ndjson")).inScenario("file")
                .whenScenarioStateIs("ready").willReturn(okForContentType("application/fhir+ndjson",
                        ndjson("Patient"))));

        try (ConnectorHarness harness = harness(Map.of()).start()) {
            ConnectorHarness.awaitUntil("the export to be journalled",
                    () -> harness.checkpoints().get(BulkExport.DONE).isPresent());

            assertThat(harness.journal().records()).extracting(CanonicalRecord::sourceId)
                    .containsExactlyInAnyOrderElementsOf(sourceIds(List.of("Patient")));
            assertThat(time.sleeps()).as("the 429's Retry-After, then a backoff after the 503")
                    .hasSize(2).startsWith(Duration.ofSeconds(2));
            wireMock.verify(2, getRequestedFor(urlPathEqualTo(STATUS)));
            wireMock.verify(2, getRequestedFor(urlPathEqualTo("/bulk/files/Patient.ndjson")));
        }
    }

    @Test
    void export_outputThatNeedsTheTokenOnAnotherServer_isNotFetched_andSearchLoadsEverythingInstead()
            throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/$export")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Location", STATUS).withHeader("Retry-After", "0")));
        // localhost is another origin than the configured 127.0.0.1, though it reaches the same WireMock.
        wireMock.stubFor(get(urlPathEqualTo(STATUS)).willReturn(okJson("{\"transactionTime\":\""
                + TRANSACTION_TIME + "\",\"requiresAccessToken\":true,\"output\":[{\"type\":\"Patient\","
                + "\"url\":\"" + wireMock.baseUrl() + "/bulk/files/Patient.ndjson\"}],\"error\":[]}")));

        try (ConnectorHarness harness = harness(Map.of()).start()) {
            ConnectorHarness.awaitUntil("the export to be given up",
                    () -> harness.checkpoints().get(BulkExport.DONE).isPresent());

            assertThat(harness.checkpoints().get(BulkExport.DONE)).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("unsupported").contains("another server"));
            wireMock.verify(0, getRequestedFor(urlPathEqualTo("/bulk/files/Patient.ndjson")));
            ConnectorHarness.awaitUntil("a search from the beginning", () -> !wireMock.findAll(
                    getRequestedFor(urlPathEqualTo("/fhir/Patient")).withoutQueryParam("_lastUpdated")).isEmpty());
        }
    }

    // The connector's base URL names 127.0.0.1; wireMock.baseUrl() would name localhost, another origin.
    private String root() {
        return "http://127.0.0.1:" + wireMock.port();
    }

    private int statusChecks() {
        return wireMock.findAll(getRequestedFor(urlPathEqualTo(STATUS))).size();
    }

    private String manifest(List<String> types) throws IOException {
        List<Map<String, Object>> outputs = types.stream().map(t -> Map.<String, Object>of("type", t,
                "url", root() + "/bulk/files/" + t + ".ndjson")).toList();
        return new ObjectMapper().writeValueAsString(Map.of("transactionTime", "2026-01-10T08:00:00.000+00:00",
                "request", WireMockFhir.baseUrl(wireMock) + "/$export", "requiresAccessToken", true,
                "output", outputs, "error", List.of()));
    }

    private ConnectorHarness harness(Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(Map.of("base-url", WireMockFhir.baseUrl(wireMock),
                "poll", "100ms", "resources", TYPES, "page-size", "50",
                "bulk-export", Map.of("enabled", "true")));
        settings.putAll(overrides);
        return ConnectorHarness.create(CONNECTOR_ID, settings).withTiming(time.timing());
    }

    private static Set<String> sourceIds(List<String> types) {
        return types.stream().flatMap(type -> Arrays.stream(ndjson(type).split("\n")).filter(l -> !l.isBlank())
                .map(line -> {
                    try {
                        return type + "/" + new ObjectMapper().readTree(line).path("id").asText();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })).collect(Collectors.toSet());
    }

    private static String ndjson(String type) {
        try (InputStream in = BulkExportTest.class.getResourceAsStream("/bulk-ndjson/" + type + ".000.ndjson")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
