package org.twinbridge.runtime.api;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's token checks against an issuer played by WireMock (discovery and JWKS), with tokens signed
 * here. Every refusal is a problem document. The first test proves the JWKS refresh on an unknown key, before
 * any other test spends the refresh budget.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiSecurityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start(dir, 40);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode doc = JSON.readTree(response.body());
        assertThat(doc.path("status").asInt()).isEqualTo(status);
        assertThat(doc.path("title").asText()).isNotEmpty();
        assertThat(doc.path("code").asText()).startsWith("TB-API-");
        return doc;
    }

    @Test
    @Order(1)
    void unknownKey_refetchesTheJwks_andAcceptsTheNewKey() throws Exception {
        assertThat(api.get("/api/v1/audit/verify", api.tokens.token("u-auditor", "auditor")).statusCode())
                .isEqualTo(200);
        Tokens rotated = new Tokens("key-b", api.issuer, ApiFixture.AUDIENCE);
        api.issuerServer.stubFor(get(urlEqualTo(ApiFixture.CERTS)).willReturn(okJson(Tokens.jwks(api.tokens,
                rotated))));

        HttpResponse<String> response = api.get("/api/v1/audit/verify", rotated.token("u-auditor", "auditor"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(api.issuerServer.findAll(getRequestedFor(urlEqualTo(ApiFixture.CERTS)))).hasSize(2);
    }

    @Test
    @Order(2)
    void keyTheIssuerNeverPublished_isRejected() throws Exception {
        Tokens stranger = new Tokens("key-x", api.issuer, ApiFixture.AUDIENCE);

        JsonNode doc = problem(api.get("/api/v1/audit", stranger.token("u-auditor", "auditor")), 401);

        assertThat(doc.path("code").asText()).isEqualTo("TB-API-021");
    }

    @Test
    void goodToken_withTheRole_isServed() throws Exception {
        HttpResponse<String> response = api.get("/api/v1/audit?kind=node.start", api.tokens.token("u-aud",
                "auditor"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("entries")).isNotEmpty();
    }

    @Test
    void noToken_is401_withABearerChallenge() throws Exception {
        HttpResponse<String> response = api.get("/api/v1/audit", null);

        assertThat(problem(response, 401).path("code").asText()).isEqualTo("TB-API-020");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                assertThat(v).startsWith("Bearer"));
    }

    @Test
    void expiredToken_isRejected() throws Exception {
        JWTClaimsSet expired = api.tokens.claims("u-aud", List.of("auditor"))
                .expirationTime(Date.from(Instant.now().minusSeconds(60))).build();

        JsonNode doc = problem(api.get("/api/v1/audit", api.tokens.sign(expired)), 401);

        assertThat(doc.path("detail").asText()).containsIgnoringCase("expired");
    }

    @Test
    void tokenNotYetValid_isRejected() throws Exception {
        JWTClaimsSet early = api.tokens.claims("u-aud", List.of("auditor"))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(120))).build();

        problem(api.get("/api/v1/audit", api.tokens.sign(early)), 401);
    }

    @Test
    void wrongAudience_isRejected() throws Exception {
        JWTClaimsSet other = api.tokens.claims("u-aud", List.of("auditor")).audience("some-other-api").build();

        JsonNode doc = problem(api.get("/api/v1/audit", api.tokens.sign(other)), 401);

        assertThat(doc.path("detail").asText()).containsIgnoringCase("aud");
    }

    @Test
    void wrongIssuer_isRejected() throws Exception {
        JWTClaimsSet other = api.tokens.claims("u-aud", List.of("auditor"))
                .issuer("http://127.0.0.1:1/realms/elsewhere").build();

        JsonNode doc = problem(api.get("/api/v1/audit", api.tokens.sign(other)), 401);

        assertThat(doc.path("detail").asText()).containsIgnoringCase("iss");
    }

    @Test
    void algNone_isRejected() throws Exception {
        String unsigned = new PlainJWT(api.tokens.claims("u-aud", List.of("auditor", "privacy-officer")).build())
                .serialize();

        problem(api.get("/api/v1/audit", unsigned), 401);
    }

    @Test
    void tamperedPayload_isRejected() throws Exception {
        String[] parts = api.tokens.token("u-clin", "clinician").split("\\.");
        String forged = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("\"clinician\"", "\"auditor\"");
        String tampered = parts[0] + "." + Base64URL.encode(forged) + "." + parts[2];

        problem(api.get("/api/v1/audit", tampered), 401);
    }

    @Test
    void hs256SignedWithThePublicKey_isRejected() throws Exception {
        byte[] publicKey = api.tokens.key.toRSAPublicKey().getEncoded();
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(api.tokens.key.getKeyID()).build(), api.tokens.claims("u-aud", List.of("auditor")).build());
        confused.sign(new MACSigner(publicKey));

        problem(api.get("/api/v1/audit", confused.serialize()), 401);
    }

    @Test
    void idToken_isNotAnAccessToken() throws Exception {
        JWTClaimsSet id = api.tokens.claims("u-aud", List.of("auditor")).claim("typ", "ID").build();

        problem(api.get("/api/v1/audit", api.tokens.sign(id)), 401);
    }

    @Test
    void missingRole_is403() throws Exception {
        JsonNode doc = problem(api.get("/api/v1/audit", api.tokens.token("u-clin", "clinician")), 403);

        assertThat(doc.path("detail").asText()).contains("auditor").contains("privacy-officer");
    }

    @Test
    void clientRoles_countAsRoles() throws Exception {
        JWTClaimsSet claims = api.tokens.claims("u-client", List.of())
                .claim("resource_access", java.util.Map.of(ApiFixture.AUDIENCE, java.util.Map.of("roles",
                        List.of("auditor")))).build();

        assertThat(api.get("/api/v1/audit/verify", api.tokens.sign(claims)).statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedBody_is413() throws Exception {
        String big = "x".repeat(70_000);

        problem(api.post("/api/v1/policies", api.tokens.token("u-po", "privacy-officer"), "application/yaml", big),
                413);
    }

    @Test
    void tooManyRequests_is429_forThatSubjectOnly() throws Exception {
        String flood = api.tokens.token("u-flood", "auditor");
        int last = 0;
        for (int i = 0; i < 41 && last != 429; i++) {
            last = api.get("/api/v1/audit/verify", flood).statusCode();
        }

        HttpResponse<String> response = api.get("/api/v1/audit/verify", flood);
        // A new minute may have begun during the loop; then the limit is hit again within it.
        for (int i = 0; i < 41 && response.statusCode() != 429; i++) {
            response = api.get("/api/v1/audit/verify", flood);
        }
        problem(response, 429);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(api.get("/api/v1/audit/verify", api.tokens.token("u-calm", "auditor")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void unknownPath_is404_andWrongMethod405() throws Exception {
        String token = api.tokens.token("u-aud", "auditor");
        problem(api.get("/api/v1/nothing-here", token), 404);
        problem(api.post("/api/v1/audit", token, "application/json", "{}"), 405);
    }

    @Test
    void health_andMetrics_needNoToken() throws Exception {
        HttpResponse<String> health = api.get("/health", null);
        HttpResponse<String> metrics = api.get("/metrics", null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
        assertThat(api.get("/health/live", null).statusCode()).isEqualTo(200);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE");
        assertThat(api.get("/api/v1/openapi.yaml", null).body()).startsWith("openapi: 3");
    }
}
