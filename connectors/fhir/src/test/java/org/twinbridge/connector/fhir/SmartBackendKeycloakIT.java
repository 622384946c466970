package org.twinbridge.connector.fhir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.testkit.KeycloakServer;

/**
 * SMART Backend Services against a real authorisation server: Keycloak, whose confidential clients may authenticate
 * with a signed JWT ({@code client-jwt}, RFC 7523) and get tokens by the client-credentials grant. The client's
 * public key is registered as a JWKS whose {@code kid} is the connector's default (the RFC 7638 thumbprint), and the
 * SMART scope exists as a Keycloak client scope. WireMock plays the FHIR server, answering only requests that carry a
 * token of the shape Keycloak issues.
 */
@ExtendWith(KeycloakServer.class)
class SmartBackendKeycloakIT extends WireMockFhirTest {

    private static final String REALM = "twinbridge-smart";
    private static final String CLIENT_ID = "twinbridge-st-marys";
    private static final String SCOPE = "system/Observation.read";
    private static final String PASSWORD = "keystore-pw-kc-7a2d";
    private static final String TOKEN_URL = KeycloakServer.URL + "/realms/" + REALM + "/protocol/openid-connect/token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path dir;
    private Path registeredKey;
    private Path strangerKey;
    private Path passwordFile;

    @BeforeAll
    void provisionRealm() throws Exception {
        registeredKey = TestKeys.keytool(dir.resolve("registered.p12"), PASSWORD, "-keyalg", "RSA", "-keysize", "2048");
        strangerKey = TestKeys.keytool(dir.resolve("stranger.p12"), PASSWORD, "-keyalg", "RSA", "-keysize", "2048");
        passwordFile = Files.writeString(dir.resolve("keystore-password"), PASSWORD + "\n");
        String admin = adminToken();
        // Keycloak keeps its data between runs (dev mode, under target/); a realm left by an earlier run would hold
        // that run's key, so each run starts from a new realm.
        send(admin, "DELETE", "/admin/realms/" + REALM, null, 204, 404);
        send(admin, "POST", "/admin/realms", Map.of("realm", REALM, "enabled", true), 201);
        send(admin, "POST", "/admin/realms/" + REALM + "/client-scopes", Map.of("name", SCOPE,
                "protocol", "openid-connect", "attributes", Map.of("include.in.token.scope", "true",
                        "display.on.consent.screen", "false")), 201);
        RSAPublicKey key = (RSAPublicKey) publicKey(registeredKey);
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("kid", SigningKey.thumbprint(key));
        jwk.put("use", "sig");
        jwk.put("alg", "RS384");
        jwk.put("n", b64(key.getModulus()));
        jwk.put("e", b64(key.getPublicExponent()));
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", CLIENT_ID);
        client.put("enabled", true);
        client.put("publicClient", false);
        client.put("serviceAccountsEnabled", true);
        client.put("standardFlowEnabled", false);
        client.put("directAccessGrantsEnabled", false);
        client.put("clientAuthenticatorType", "client-jwt");
        client.put("optionalClientScopes", List.of(SCOPE));
        client.put("attributes", Map.of("use.jwks.url", "false", "use.jwks.string", "true",
                "jwks.string", JSON.writeValueAsString(Map.of("keys", List.of(jwk)))));
        send(admin, "POST", "/admin/realms/" + REALM + "/clients", client, 201);
    }

    @BeforeEach
    void fhirServer() {
        // Keycloak's access tokens are JWTs; anything else is refused as a real FHIR server would refuse it.
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).willReturn(aResponse().withStatus(401)));
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation")).withHeader("Authorization",
                matching("Bearer eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+")).willReturn(
                        okForContentType(WireMockFhir.FHIR_JSON, WireMockFhir.searchset(wireMock, null,
                                WireMockFhir.observation("o-1", "2025-02-01T00:00:00Z")))));
    }

    @Test
    void keycloak_acceptsTheSignedAssertion_andIssuesATokenForTheClient_withTheSmartScope() throws Exception {
        String authorization = credentials(registeredKey).authorization().orElseThrow();

        assertThat(authorization).startsWith("Bearer ");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(authorization.substring(7).split("\\.")[1]));
        assertThat(claims.path("iss").asText()).isEqualTo(KeycloakServer.URL + "/realms/" + REALM);
        assertThat(claims.path("azp").asText()).isEqualTo(CLIENT_ID);
        assertThat(claims.path("scope").asText().split(" ")).contains(SCOPE);
    }

    @Test
    void keycloak_refusesAnAssertionSignedByAnotherKey_asAnAuthFailure() throws Exception {
        Credentials credentials = credentials(strangerKey);

        assertThatThrownBy(credentials::authorization).isInstanceOfSatisfying(FhirCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(FhirErrorKind.AUTH);
            assertThat(e.getMessage()).contains("token request failed");
        });
    }

    @Test
    void poll_withSmartBackendAuth_getsItsTokenFromKeycloak_andJournalsWhatTheServerSends() throws Exception {
        try (ConnectorHarness harness = ConnectorHarness.create("ehr-keycloak", settings(registeredKey)).start()) {
            assertThat(harness.awaitPolls(1).get(0).failure()).isNull();

            assertThat(harness.journal().records()).hasSize(1);
        }
        wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir/Observation")).withHeader("Authorization",
                matching("Bearer eyJ.+")));
    }

    private Credentials credentials(Path keystore) throws Exception {
        FhirSourceSettings settings = FhirSourceSettings.from(new ConnectorSettings(settings(keystore)));
        return settings.auth().credentials(settings.baseUrl(), () -> new FhirHttp("ehr-keycloak",
                ResilienceSettings.DEFAULTS, Credentials.NONE, Timing.system()), Timing.system());
    }

    private Map<String, Object> settings(Path keystore) {
        return Map.of("base-url", WireMockFhir.baseUrl(wireMock), "poll", "100ms",
                "resources", List.of("Observation"), "auth", Map.of("type", "smart-backend",
                        "client-id", CLIENT_ID, "token-url", TOKEN_URL, "keystore", keystore.toString(),
                        "key-alias", TestKeys.ALIAS, "keystore-password-file", passwordFile.toString()));
    }

    private static String adminToken() throws Exception {
        String form = "grant_type=password&client_id=admin-cli&username=" + encode(KeycloakServer.ADMIN)
                + "&password=" + encode(KeycloakServer.ADMIN_PASSWORD);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(KeycloakServer.URL
                + "/realms/master/protocol/openid-connect/token")).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private static void send(String token, String method, String path, Object body, int... expected)
            throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(KeycloakServer.URL + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(Arrays.stream(expected).anyMatch(s -> s == response.statusCode()))
                .as(method + " " + path + " answered " + response.statusCode() + ": " + response.body()).isTrue();
    }

    private static java.security.PublicKey publicKey(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store.getCertificate(TestKeys.ALIAS).getPublicKey();
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
