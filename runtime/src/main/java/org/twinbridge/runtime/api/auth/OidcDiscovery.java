package org.twinbridge.runtime.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads an OpenID Connect issuer's discovery document for its JWKS address. */
final class OidcDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private OidcDiscovery() {
    }

    /** The {@code jwks_uri} of {@code issuer}, after checking that the document names the same issuer. */
    static URI jwksUri(URI issuer) throws TokenRejected {
        String base = issuer.toString().endsWith("/") ? issuer.toString() : issuer + "/";
        URI discovery = URI.create(base + ".well-known/openid-configuration");
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw TokenRejected.issuerUnavailable("TB-API-052 the issuer's discovery document " + discovery
                        + " answered HTTP " + response.statusCode());
            }
            JsonNode doc = JSON.readTree(response.body());
            String named = doc.path("issuer").asText("");
            if (!named.equals(issuer.toString())) {
                throw TokenRejected.issuerUnavailable("TB-API-053 the discovery document at " + discovery
                        + " names issuer '" + named + "', not the configured '" + issuer + "'");
            }
            String jwks = doc.path("jwks_uri").asText("");
            if (jwks.isEmpty()) {
                throw TokenRejected.issuerUnavailable("TB-API-054 the discovery document at " + discovery
                        + " has no jwks_uri");
            }
            return URI.create(jwks);
        } catch (IOException | IllegalArgumentException e) {
            throw TokenRejected.issuerUnavailable("TB-API-052 cannot read the issuer's discovery document "
                    + discovery + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TokenRejected.issuerUnavailable("TB-API-052 interrupted while reading " + discovery);
        }
    }
}
