package org.twinbridge.runtime.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The issuer's browser-facing endpoints, read from its discovery document by the node (so the browser needs no
 * cross-origin read of it) and kept once read.
 */
final class ConsoleOidc {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What the browser needs to log in and out. */
    record Endpoints(String issuer, String authorization, String token, String endSession) {
    }

    private final URI issuer;
    private volatile Endpoints endpoints;

    ConsoleOidc(URI issuer) {
        this.issuer = issuer;
    }

    Endpoints endpoints() throws IOException {
        Endpoints known = endpoints;
        if (known != null) {
            return known;
        }
        String base = issuer.toString().endsWith("/") ? issuer.toString() : issuer + "/";
        URI discovery = URI.create(base + ".well-known/openid-configuration");
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("TB-API-056 interrupted while reading " + discovery);
        } catch (IOException e) {
            throw new IOException("TB-API-056 cannot read the issuer's discovery document " + discovery + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (response.statusCode() != 200) {
            throw new IOException("TB-API-056 the issuer's discovery document " + discovery + " answered HTTP "
                    + response.statusCode());
        }
        JsonNode doc = JSON.readTree(response.body());
        if (!doc.path("issuer").asText("").equals(issuer.toString())) {
            throw new IOException("TB-API-056 the discovery document at " + discovery + " names another issuer");
        }
        Endpoints read = new Endpoints(issuer.toString(), doc.path("authorization_endpoint").asText(""),
                doc.path("token_endpoint").asText(""), doc.path("end_session_endpoint").asText(""));
        if (read.authorization().isEmpty() || read.token().isEmpty()) {
            throw new IOException("TB-API-056 the discovery document at " + discovery
                    + " lacks authorization_endpoint or token_endpoint");
        }
        endpoints = read;
        return read;
    }

    /** The origins the console's scripts may connect to besides the node: the issuer's and its token endpoint's. */
    Set<String> origins() {
        Set<String> origins = new LinkedHashSet<>();
        origins.add(origin(issuer));
        Endpoints known = endpoints;
        if (known != null) {
            origins.add(origin(URI.create(known.token())));
        }
        return origins;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            return "\"\"";
        }
    }
}
