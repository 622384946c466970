package org.twinbridge.connector.fhir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests HAPI's generic client makes for the connector (search by {@code _lastUpdated} and {@code _count},
 * paging by link, authentication by HAPI interceptors) and what the connector gets back: the page as sent, even
 * one HAPI cannot read, or the {@link FhirCallException} of the transport.
 */
class FhirClientTest extends WireMockFhirTest {

    private static final String PATH = "/fhir/Observation";
    private ManualTiming time;

    @BeforeEach
    void reset() {
        time = new ManualTiming();
    }

    @Test
    void search_sinceAWatermark_asksForLastUpdatedGe_andThePageSize_inJson_withoutAFormatParameter()
            throws Exception {
        stubPage(PATH);

        client(Optional.empty()).search("Observation", Optional.of(Instant.parse("2025-01-02T03:04:05Z")), 7);

        wireMock.verify(getRequestedFor(urlPathEqualTo(PATH))
                .withQueryParam("_lastUpdated", equalTo("ge2025-01-02T03:04:05Z"))
                .withQueryParam("_count", equalTo("7"))
                .withoutQueryParam("_format")
                .withHeader("Accept", containing("application/fhir+json")));
    }

    @Test
    void search_withoutAWatermark_asksForEverything() throws Exception {
        stubPage(PATH);

        client(Optional.empty()).search("Observation", Optional.empty(), 10);

        wireMock.verify(getRequestedFor(urlPathEqualTo(PATH)).withoutQueryParam("_lastUpdated"));
    }

    @Test
    void page_fetchesTheLinkItIsGiven_andReturnsABodyHapiCannotRead_asSent() throws Exception {
        String html = "<html><body>" + BODY_CANARY + "</body></html>";
        wireMock.stubFor(get(urlPathEqualTo("/fhir")).willReturn(okForContentType("text/html", html)));

        FhirClient.RawPage page = client(Optional.empty()).page("Observation",
                WireMockFhir.baseUrl(wireMock) + "?_getpages=s1&_getpagesoffset=10&_count=10");

        assertThat(new String(page.body(), StandardCharsets.UTF_8)).isEqualTo(html);
        assertThat(page.contentType()).contains("text/html");
        wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir")).withQueryParam("_getpagesoffset", equalTo("10")));
    }

    @Test
    void bearerAuth_isAddedByHapisInterceptor() throws Exception {
        stubPage(PATH);
        FhirAuth auth = new FhirAuth.Bearer(new Secret("test", "tok-interceptor"));

        client(auth.interceptor(Credentials.NONE)).search("Observation", Optional.empty(), 10);

        wireMock.verify(getRequestedFor(urlPathEqualTo(PATH)).withHeader("Authorization",
                equalTo("Bearer tok-interceptor")));
    }

    @Test
    void basicAuth_isAddedByHapisInterceptor() throws Exception {
        stubPage(PATH);
        FhirAuth auth = new FhirAuth.Basic("twinbridge", new Secret("test", "pw-interceptor"));

        client(auth.interceptor(Credentials.NONE)).search("Observation", Optional.empty(), 10);

        String expected = Base64.getEncoder().encodeToString("twinbridge:pw-interceptor"
                .getBytes(StandardCharsets.UTF_8));
        wireMock.verify(getRequestedFor(urlPathEqualTo(PATH)).withHeader("Authorization",
                equalTo("Basic " + expected)));
    }

    @Test
    void credentialsThatCannotSign_failTheSearchAsAuth_beforeAnythingIsSent() {
        Credentials broken = () -> {
            throw new FhirCallException(FhirErrorKind.AUTH, "no access token");
        };

        assertThatThrownBy(() -> client(Optional.of(new CredentialsInterceptor(broken)))
                .search("Observation", Optional.empty(), 10))
                .isInstanceOfSatisfying(FhirCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FhirErrorKind.AUTH);
                    assertThat(e.getMessage()).isEqualTo("no access token");
                });
        wireMock.verify(0, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void aFailureOfTheTransport_reachesTheCaller_asItsFhirCallException() {
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(error(503)));

        assertThatThrownBy(() -> client(Optional.empty()).search("Observation", Optional.empty(), 10))
                .isInstanceOfSatisfying(FhirCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FhirErrorKind.HTTP_5XX);
                    assertThat(e.getMessage()).isEqualTo("HTTP 503");
                    assertThat(Throwables.chainText(e)).noneMatch(t -> t.contains(BODY_CANARY));
                });
        wireMock.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void exportKickOff_atGroupLevel_isHapisOperationByGet_respondAsync_withTheTypesAndNdjson() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Group/cohort-7/$export")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Location", "/bulk/status/9")));
        BulkExportSettings bulk = new BulkExportSettings("group", Optional.of("cohort-7"), Duration.ofSeconds(10));
        FhirAuth auth = new FhirAuth.Bearer(new Secret("test", "tok-export"));

        FhirHttp.Answer<byte[]> answer = client(auth.interceptor(Credentials.NONE)).kickOffExport(bulk,
                List.of("Patient", "Observation"));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.header("Content-Location")).contains("/bulk/status/9");
        wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir/Group/cohort-7/$export"))
                .withHeader("Prefer", equalTo("respond-async"))
                .withHeader("Accept", equalTo("application/fhir+json"))
                .withHeader("Authorization", equalTo("Bearer tok-export"))
                .withQueryParam("_type", equalTo("Patient,Observation"))
                .withQueryParam("_outputFormat", equalTo("application/fhir+ndjson")));
    }

    @Test
    void download_withoutTheAccessToken_dropsTheInterceptorsAuthorization_andStreamsToTheFile(@TempDir Path dir)
            throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/files/Patient.ndjson")).willReturn(okForContentType(
                "application/fhir+ndjson", "{\"resourceType\":\"Patient\"}\n")));
        FhirAuth auth = new FhirAuth.Bearer(new Secret("test", "tok-not-for-file-hosts"));
        FhirClient client = client(auth.interceptor(Credentials.NONE));
        Path file = dir.resolve("Patient.ndjson");

        client.download("bulk export download", wireMock.baseUrl() + "/files/Patient.ndjson",
                "application/fhir+ndjson", true, file);

        assertThat(Files.readString(file)).isEqualTo("{\"resourceType\":\"Patient\"}\n");
        wireMock.verify(getRequestedFor(urlPathEqualTo("/files/Patient.ndjson")).withoutHeader("Authorization")
                .withHeader("Accept", equalTo("application/fhir+ndjson")));

        client.download("bulk export download", wireMock.baseUrl() + "/files/Patient.ndjson",
                "application/fhir+ndjson", false, file);
        wireMock.verify(getRequestedFor(urlPathEqualTo("/files/Patient.ndjson"))
                .withHeader("Authorization", equalTo("Bearer tok-not-for-file-hosts")));
    }

    @Test
    void exportStatus_failingForGood_reachesTheCaller_afterTheTransportsRetries() {
        wireMock.stubFor(get(urlPathEqualTo("/bulk/status/1")).willReturn(error(503)));

        assertThatThrownBy(() -> client(Optional.empty()).get("bulk export status",
                wireMock.baseUrl() + "/bulk/status/1", "application/json"))
                .isInstanceOfSatisfying(FhirCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.HTTP_5XX));
        wireMock.verify(2, getRequestedFor(urlPathEqualTo("/bulk/status/1")));
    }

    private void stubPage(String path) {
        wireMock.stubFor(get(urlPathEqualTo(path)).willReturn(okForContentType(WireMockFhir.FHIR_JSON,
                WireMockFhir.searchset(wireMock, null))));
    }

    private FhirClient client(Optional<Object> interceptor) {
        RetryPolicy retry = new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, 0.0, Duration.ZERO);
        ResilienceSettings settings = new ResilienceSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), retry, 5,
                Duration.ofMinutes(1));
        FhirHttp http = new FhirHttp("ehr-client", settings, Credentials.NONE, time.timing());
        FhirHttp anonymous = new FhirHttp("ehr-client", settings, Credentials.NONE, time.timing());
        return new FhirClient(WireMockFhir.baseUrl(wireMock), http, anonymous, interceptor);
    }
}
