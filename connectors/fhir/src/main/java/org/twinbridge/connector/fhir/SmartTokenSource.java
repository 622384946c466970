package org.twinbridge.connector.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens from a SMART Backend Services token endpoint: the client-credentials grant with a signed JWT
 * client assertion. The endpoint is configured, or discovered once from the server's
 * {@code .well-known/smart-configuration}. A token is cached until shortly before it expires, and dropped when the
 * FHIR server answers 401. Tokens are never logged. Thread-safe.
 *
 * <p>How it sits on HAPI's client: {@link CredentialsInterceptor}, a HAPI {@code IClientInterceptor}, asks this
 * source for the header of each request HAPI's {@code IGenericClient} sends, and {@link FhirHttp} asks it again on
 * each retry and after a 401. The token request itself is sent by a {@link FhirHttp} without credentials, so it has
 * the searches' timeouts, retries, {@code Retry-After} and circuit breaker. It is not sent by HAPI's client: the
 * token endpoint speaks OAuth 2 (a form POST answered with JSON), not FHIR, is usually on another server, and
 * HAPI's raw request knows only GET.
 */
final class SmartTokenSource implements Credentials {

    private static final Logger LOG = LoggerFactory.getLogger(SmartTokenSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tokens are refreshed this long before they expire, so that none expires on its way to the server. */
    static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private final FhirAuth.SmartBackend config;
    private final String baseUrl;
    private final FhirHttp http;
    private final Timing timing;
    private URI tokenUrl;
    private String token;
    private Instant refreshAt = Instant.MIN;

    SmartTokenSource(FhirAuth.SmartBackend config, String baseUrl, FhirHttp http, Timing timing) {
        this.config = config;
        this.baseUrl = baseUrl;
        this.http = http;
        this.timing = timing;
        this.tokenUrl = config.tokenUrl().orElse(null);
    }

    @Override
    public synchronized Optional<String> authorization() throws FhirCallException {
        if (token == null || !timing.clock().instant().isBefore(refreshAt)) {
            fetchToken();
        }
        return Optional.of("Bearer " + token);
    }

    @Override
    public synchronized boolean invalidate() {
        token = null;
        return true;
    }

    private void fetchToken() throws FhirCallException {
        URI endpoint = tokenEndpoint();
        Instant now = timing.clock().instant();
        String assertion;
        try {
            assertion = ClientAssertion.create(config.clientId(), endpoint.toString(), config.key(), now);
        } catch (GeneralSecurityException e) {
            throw new FhirCallException(FhirErrorKind.AUTH, "the client assertion could not be signed", e);
        }
        String form = "grant_type=client_credentials&scope=" + encode(config.scope())
                + "&client_assertion_type=" + encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + encode(assertion);
        FhirHttp.Answer<byte[]> answer = authFailure("token request", () -> http.send("token request",
                HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(form)),
                HttpResponse.BodyHandlers.ofByteArray()));
        JsonNode body = json(answer.body(), "the token endpoint's answer");
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isEmpty() || !"bearer".equalsIgnoreCase(body.path("token_type").asText("bearer"))) {
            throw new FhirCallException(FhirErrorKind.AUTH, "the token endpoint's answer holds no bearer "
                    + "access_token");
        }
        Duration lifetime = body.path("expires_in").canConvertToLong() && body.path("expires_in").asLong() > 0
                ? Duration.ofSeconds(body.path("expires_in").asLong()) : DEFAULT_LIFETIME;
        Duration ahead = lifetime.compareTo(REFRESH_AHEAD.multipliedBy(2)) < 0 ? lifetime.dividedBy(2)
                : REFRESH_AHEAD;
        token = accessToken;
        refreshAt = timing.clock().instant().plus(lifetime).minus(ahead);
        LOG.info("connector auth: obtained an access token for client {}, valid for {}s", config.clientId(),
                lifetime.toSeconds());
    }

    private URI tokenEndpoint() throws FhirCallException {
        if (tokenUrl == null) {
            URI discovery = URI.create(baseUrl + "/.well-known/smart-configuration");
            FhirHttp.Answer<byte[]> answer = authFailure("SMART discovery", () -> http.send("SMART discovery",
                    HttpRequest.newBuilder(discovery).header("Accept", "application/json").GET(),
                    HttpResponse.BodyHandlers.ofByteArray()));
            String endpoint = json(answer.body(), "the SMART configuration").path("token_endpoint").asText("");
            URI discovered;
            try {
                discovered = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                discovered = null;
            }
            if (discovered == null || !FhirAuth.SmartBackend.acceptable(discovered, baseUrl)) {
                throw new FhirCallException(FhirErrorKind.AUTH, "the SMART configuration names no usable "
                        + "token_endpoint (an absolute https URL, or http only for an http base-url)");
            }
            tokenUrl = discovered;
        }
        return tokenUrl;
    }

    private static JsonNode json(byte[] body, String what) throws FhirCallException {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new FhirCallException(FhirErrorKind.AUTH, what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new FhirCallException(FhirErrorKind.AUTH, what + " is not JSON");
        }
    }

    /** Failures of the token endpoint are AUTH failures, except transient ones, which keep their kind. */
    private static FhirHttp.Answer<byte[]> authFailure(String what, Call call) throws FhirCallException {
        try {
            return call.send();
        } catch (FhirCallException e) {
            if (e.kind().isTransient() || e.kind() == FhirErrorKind.CIRCUIT_OPEN) {
                throw e;
            }
            throw new FhirCallException(FhirErrorKind.AUTH, what + " failed (" + e.getMessage() + ")", e);
        }
    }

    @FunctionalInterface
    private interface Call {
        FhirHttp.Answer<byte[]> send() throws FhirCallException;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SmartTokenSource[client=" + config.clientId() + "]";
    }
}
