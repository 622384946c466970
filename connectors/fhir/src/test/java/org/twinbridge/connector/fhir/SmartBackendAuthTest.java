package org.twinbridge.connector.fhir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * SMART Backend Services: WireMock plays the authorisation server's token endpoint (and, for the bearer, the FHIR
 * server). Keys are real PKCS#12 keystores made with the JDK's keytool; assertions are verified with the public key.
 */
class SmartBackendAuthTest extends WireMockFhirTest {

    private static final String CLIENT_ID = "twinbridge-st-marys";
    private static final String PASSWORD = "keystore-pw-5f1e";
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private ManualTiming time;
    private Path rsaKeystore;
    private Path ecKeystore;
    private Path passwordFile;

    @BeforeAll
    void setUp() throws Exception {
        rsaKeystore = keytool("rsa.p12", "-keyalg", "RSA", "-keysize", "2048");
        ecKeystore = keytool("ec.p12", "-keyalg", "EC", "-groupname", "secp384r1");
        passwordFile = Files.writeString(dir.resolve("keystore-password"), PASSWORD + "\n");
    }

    @BeforeEach
    void reset() {
        time = new ManualTiming();
        wireMock.stubFor(post(urlPathEqualTo("/auth/token")).willReturn(okJson(
                "{\"access_token\":\"tok-1\",\"token_type\":\"bearer\",\"expires_in\":300}")));
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(aResponse().withStatus(401)));
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(okForContentType(WireMockFhir.FHIR_JSON, WireMockFhir.searchset(wireMock, null,
                        WireMockFhir.observation("o-1", "2025-02-01T00:00:00Z")))));
    }

    Stream<Arguments> keys() {
        return Stream.of(arguments("RS384", rsaKeystore), arguments("ES384", ecKeystore));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void poll_signsAClientAssertionThatVerifies_withSmartClaims_andUsesTheTokenAsBearer(String algorithm,
            Path keystore) throws Exception {
        String tokenUrl = wireMock.baseUrl() + "/auth/token";
        try (ConnectorHarness harness = ConnectorHarness.create("ehr-smart", settings(auth(keystore,
                Map.of("token-url", tokenUrl)))).withTiming(time.timing()).start()) {
            assertThat(harness.awaitPolls(1).get(0).failure()).isNull();
            assertThat(harness.journal().records()).isNotEmpty();
        }

        Map<String, String> form = form(single(postRequestedFor(urlPathEqualTo("/auth/token"))));
        assertThat(form).containsEntry("grant_type", "client_credentials")
                .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .containsEntry("scope", "system/Observation.read");
        String[] jwt = form.get("client_assertion").split("\\.");
        assertThat(jwt).hasSize(3);
        JsonNode header = decode(jwt[0]);
        JsonNode claims = decode(jwt[1]);
        PublicKey publicKey = publicKey(keystore);

        assertThat(header.path("alg").asText()).isEqualTo(algorithm);
        assertThat(header.path("typ").asText()).isEqualTo("JWT");
        assertThat(header.path("kid").asText()).isEqualTo(SigningKey.thumbprint(publicKey));
        Signature verifier = Signature.getInstance(algorithm.equals("RS384") ? "SHA384withRSA"
                : "SHA384withECDSAinP1363Format");
        verifier.initVerify(publicKey);
        verifier.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(jwt[2]))).as("signature verifies").isTrue();
        assertThat(claims.path("iss").asText()).isEqualTo(CLIENT_ID);
        assertThat(claims.path("sub").asText()).isEqualTo(CLIENT_ID);
        assertThat(claims.path("aud").asText()).isEqualTo(tokenUrl);
        long now = time.now().getEpochSecond();
        assertThat(claims.path("exp").asLong()).isGreaterThan(now).isLessThanOrEqualTo(now + 300);
        assertThat(claims.path("jti").asText()).isNotBlank();
        wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir/Observation"))
                .withHeader("Authorization", equalTo("Bearer tok-1")));
    }

    @Test
    void everyAssertion_hasAUniqueJti() throws Exception {
        Credentials credentials = credentials(Map.of("token-url", wireMock.baseUrl() + "/auth/token"));
        credentials.authorization();
        credentials.invalidate();
        credentials.authorization();

        List<LoggedRequest> requests = wireMock.findAll(postRequestedFor(urlPathEqualTo("/auth/token")));
        assertThat(requests).hasSize(2);
        assertThat(requests.stream().map(r -> decode(form(r).get("client_assertion").split("\\.")[1])
                .path("jti").asText())).doesNotHaveDuplicates();
    }

    @Test
    void tokenEndpoint_isDiscoveredFromSmartConfiguration() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/.well-known/smart-configuration")).willReturn(okJson(
                "{\"token_endpoint\":\"" + wireMock.baseUrl() + "/auth/token\",\"capabilities\":"
                        + "[\"client-confidential-asymmetric\"]}")));

        Credentials credentials = credentials(Map.of());

        assertThat(credentials.authorization()).contains("Bearer tok-1");
        wireMock.verify(1, getRequestedFor(urlPathEqualTo("/fhir/.well-known/smart-configuration")));
        assertThat(decode(form(single(postRequestedFor(urlPathEqualTo("/auth/token")))).get("client_assertion")
                .split("\\.")[1]).path("aud").asText()).isEqualTo(wireMock.baseUrl() + "/auth/token");
    }

    @Test
    void token_isCachedUntilShortlyBeforeItExpires() throws Exception {
        Credentials credentials = credentials(Map.of("token-url", wireMock.baseUrl() + "/auth/token"));

        credentials.authorization();
        time.advance(Duration.ofSeconds(269));
        credentials.authorization();
        wireMock.verify(1, postRequestedFor(urlPathEqualTo("/auth/token")));

        time.advance(Duration.ofSeconds(1));
        credentials.authorization();
        wireMock.verify(2, postRequestedFor(urlPathEqualTo("/auth/token")));
    }

    @Test
    void fhirServer401_dropsTheToken_fetchesANewOne_andRetriesOnce() throws Exception {
        wireMock.stubFor(post(urlPathEqualTo("/auth/token")).inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"tok-0\",\"token_type\":\"Bearer\",\"expires_in\":3600}"))
                .willSetStateTo("revoked"));
        wireMock.stubFor(post(urlPathEqualTo("/auth/token")).inScenario("tokens").whenScenarioStateIs("revoked")
                .willReturn(okJson("{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        FhirHttp http = new FhirHttp("ehr-smart", ResilienceSettings.DEFAULTS,
                credentials(Map.of("token-url", wireMock.baseUrl() + "/auth/token")), time.timing());

        FhirHttp.Answer<String> answer = http.send("search Observation", HttpRequest.newBuilder(
                URI.create(WireMockFhir.baseUrl(wireMock) + "/Observation")), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.status()).isEqualTo(200);
        wireMock.verify(2, postRequestedFor(urlPathEqualTo("/auth/token")));
        wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir/Observation"))
                .withHeader("Authorization", equalTo("Bearer tok-0")));
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void fhirServer401_withAFreshTokenToo_failsAsAuth() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).atPriority(1)
                .willReturn(aResponse().withStatus(401)));
        FhirHttp http = new FhirHttp("ehr-smart", ResilienceSettings.DEFAULTS,
                credentials(Map.of("token-url", wireMock.baseUrl() + "/auth/token")), time.timing());

        assertThatThrownBy(() -> http.send("search Observation", HttpRequest.newBuilder(
                URI.create(WireMockFhir.baseUrl(wireMock) + "/Observation")), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(FhirCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.AUTH));
        wireMock.verify(2, postRequestedFor(urlPathEqualTo("/auth/token")));
        wireMock.verify(2, getRequestedFor(urlPathEqualTo("/fhir/Observation")));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401})
    void tokenEndpointRefusal_failsAsAuth_withoutTheBody(int status) throws Exception {
        wireMock.stubFor(post(urlPathEqualTo("/auth/token")).willReturn(aResponse().withStatus(status)
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"tok-secret-echo\"}")));
        Credentials credentials = credentials(Map.of("token-url", wireMock.baseUrl() + "/auth/token"));

        assertThatThrownBy(credentials::authorization).isInstanceOfSatisfying(FhirCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(FhirErrorKind.AUTH);
            assertThat(e.getMessage()).contains("token request failed").contains("HTTP " + status)
                    .doesNotContain("tok-secret-echo");
        });
    }

    @Test
    void tokenEndpointAnswerWithoutAccessToken_failsAsAuth() throws Exception {
        wireMock.stubFor(post(urlPathEqualTo("/auth/token")).willReturn(okJson("{\"token_type\":\"bearer\"}")));
        Credentials credentials = credentials(Map.of("token-url", wireMock.baseUrl() + "/auth/token"));

        assertThatThrownBy(credentials::authorization).isInstanceOfSatisfying(FhirCallException.class,
                e -> assertThat(e.kind()).isEqualTo(FhirErrorKind.AUTH));
    }

    Stream<Arguments> invalidAuth() {
        return Stream.of(
                arguments("no client-id", without(auth(rsaKeystore, Map.of()), "client-id"), "client-id"),
                arguments("no keystore", without(auth(rsaKeystore, Map.of()), "keystore"), "keystore"),
                arguments("no key-alias", without(auth(rsaKeystore, Map.of()), "key-alias"), "key-alias"),
                arguments("no keystore password", without(auth(rsaKeystore, Map.of()), "keystore-password-file"),
                        "keystore-password"),
                arguments("wrong alias", auth(rsaKeystore, Map.of("key-alias", "other")), "key-alias"),
                arguments("missing keystore", auth(dir.resolve("absent.p12"), Map.of()), "keystore"),
                arguments("ES384 with an RSA key", auth(rsaKeystore, Map.of("algorithm", "ES384")), "algorithm"),
                arguments("HS256", auth(rsaKeystore, Map.of("algorithm", "HS256")), "algorithm"),
                arguments("relative token-url", auth(rsaKeystore, Map.of("token-url", "/auth/token")), "token-url"),
                arguments("unknown key", auth(rsaKeystore, Map.of("client-secret-env", "X")), "client-secret-env"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAuth")
    void from_withInvalidSmartSettings_failsNamingAuthAndTheKey(String why, Map<String, Object> auth, String key) {
        assertThatThrownBy(() -> FhirSourceSettings.from(new ConnectorSettings(settings(auth))))
                .isInstanceOfSatisfying(ConnectorConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("auth");
                    assertThat(e.getMessage()).contains(key).doesNotContain(PASSWORD);
                });
    }

    @Test
    void from_withHttpsBaseUrl_refusesAnHttpTokenUrl() {
        Map<String, Object> settings = new HashMap<>(settings(auth(rsaKeystore, Map.of("token-url",
                "http://auth.example.org/token"))));
        settings.put("base-url", "https://fhir.example.org/r4");

        assertThatThrownBy(() -> FhirSourceSettings.from(new ConnectorSettings(settings)))
                .isInstanceOfSatisfying(ConnectorConfigException.class,
                        e -> assertThat(e.getMessage()).contains("'auth.token-url' must be an absolute https URL"));
    }

    @Test
    void settings_toString_showsNoSecret() throws Exception {
        FhirSourceSettings settings = FhirSourceSettings.from(new ConnectorSettings(settings(auth(ecKeystore,
                Map.of()))));

        assertThat(settings.toString()).contains("ES384").contains(CLIENT_ID).doesNotContain(PASSWORD)
                .doesNotContain("PrivateKey");
    }

    private Credentials credentials(Map<String, Object> extra) throws Exception {
        FhirSourceSettings settings = FhirSourceSettings.from(new ConnectorSettings(settings(auth(rsaKeystore,
                extra))));
        return settings.auth().credentials(settings.baseUrl(), () -> new FhirHttp("ehr-smart",
                ResilienceSettings.DEFAULTS, Credentials.NONE, time.timing()), time.timing());
    }

    private Map<String, Object> settings(Map<String, Object> auth) {
        return Map.of("base-url", WireMockFhir.baseUrl(wireMock), "poll", "100ms",
                "resources", List.of("Observation"), "auth", auth);
    }

    private Map<String, Object> auth(Path keystore, Map<String, Object> extra) {
        Map<String, Object> auth = new LinkedHashMap<>(Map.of("type", "smart-backend", "client-id", CLIENT_ID,
                "keystore", keystore.toString(), "key-alias", "smart",
                "keystore-password-file", passwordFile.toString()));
        auth.putAll(extra);
        return auth;
    }

    private static Map<String, Object> without(Map<String, Object> auth, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(auth);
        copy.remove(key);
        return copy;
    }

    private LoggedRequest single(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
        List<LoggedRequest> requests = wireMock.findAll(pattern);
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return form;
    }

    private static JsonNode decode(String part) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(part));
        } catch (java.io.IOException e) {
            throw new AssertionError("not base64url JSON", e);
        }
    }

    private static PublicKey publicKey(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store.getCertificate("smart").getPublicKey();
    }

    private Path keytool(String name, String... keyArgs) throws Exception {
        return TestKeys.keytool(dir.resolve(name), PASSWORD, keyArgs);
    }
}
