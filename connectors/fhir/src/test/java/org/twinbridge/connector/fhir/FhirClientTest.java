package org.twinbridge.connector.fhir;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    private void stubPage(String path) {
        wireMock.stubFor(get(urlPathEqualTo(path)).willReturn(okForContentType(WireMockFhir.FHIR_JSON,
                WireMockFhir.searchset(wireMock, null))));
    }

    private FhirClient client(Optional<Object> interceptor) {
        RetryPolicy retry = new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, 0.0, Duration.ZERO);
        ResilienceSettings settings = new ResilienceSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), retry, 5,
                Duration.ofMinutes(1));
        FhirHttp http = new FhirHttp("ehr-client", settings, Credentials.NONE, time.timing());
        return new FhirClient(WireMockFhir.baseUrl(wireMock), http, interceptor);
    }
}
