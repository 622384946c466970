package org.twinbridge.runtime.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's static shell at {@code /console/}: plain HTML, ES modules and CSS shipped in the jar under
 * {@code console/}, plus {@code config.json} (the issuer's login endpoints and the console's client id). It serves no
 * data: every page fetches {@code /api/v1} with the user's own access token, so the API's role table stays the only
 * gate. Every answer carries a strict content security policy (no inline script, no framing, network only to the
 * node and the issuer). See docs/console.md.
 */
public final class ConsoleSite implements StaticSite {

    /** Where the console is mounted. */
    public static final String PREFIX = "/console";
    /** The public OIDC client the console logs users in with; {@code keycloak sync} provisions it. */
    public static final String CLIENT_ID = "twinbridge-console";

    private static final Pattern FILE = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)?\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    private final ConsoleOidc oidc;
    private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

    public ConsoleSite(URI issuer) {
        this.oidc = new ConsoleOidc(issuer);
    }

    @Override
    public StaticResponse serve(String method, String rawPath) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return StaticResponse.text(405, "text/plain; charset=utf-8", "the console serves GET only\n",
                    Map.of("Allow", "GET, HEAD"));
        }
        if (rawPath.equals(PREFIX)) {
            return new StaticResponse(308, Map.of("Location", PREFIX + "/", "Content-Type", "text/plain"),
                    new byte[0]);
        }
        if (!rawPath.startsWith(PREFIX + "/")) {
            return notFound();
        }
        String name = rawPath.substring(PREFIX.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        if (name.equals("config.json")) {
            return config();
        }
        if (!FILE.matcher(name).matches()) {
            return notFound();
        }
        Optional<byte[]> body = files.computeIfAbsent(name, ConsoleSite::load);
        if (body.isEmpty()) {
            return notFound();
        }
        Map<String, String> headers = securityHeaders();
        headers.put("Content-Type", TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        return new StaticResponse(200, headers, body.get());
    }

    private StaticResponse config() {
        try {
            ConsoleOidc.Endpoints endpoints = oidc.endpoints();
            Map<String, String> config = new LinkedHashMap<>();
            config.put("issuer", endpoints.issuer());
            config.put("clientId", CLIENT_ID);
            config.put("authorizationEndpoint", endpoints.authorization());
            config.put("tokenEndpoint", endpoints.token());
            config.put("endSessionEndpoint", endpoints.endSession());
            Map<String, String> headers = securityHeaders();
            headers.put("Content-Type", "application/json");
            return new StaticResponse(200, headers, ConsoleOidc.JSON.writeValueAsBytes(config));
        } catch (IOException e) {
            return StaticResponse.text(503, "application/json", "{\"code\":\"TB-API-056\",\"detail\":"
                    + ConsoleOidc.quote(e.getMessage()) + "}", securityHeaders());
        }
    }

    /**
     * No inline script or style, nothing from elsewhere but the issuer's token endpoint (the code exchange and
     * refresh), no framing, no plugins, forms only to the node, and the page's address never sent as a referrer.
     */
    private Map<String, String> securityHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self'; connect-src 'self' " + String.join(" ", oidc.origins()) + "; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Cache-Control", "no-store");
        return headers;
    }

    private StaticResponse notFound() {
        return StaticResponse.text(404, "text/plain; charset=utf-8", "no such console file\n", securityHeaders());
    }

    private static Optional<byte[]> load(String name) {
        try (InputStream in = ConsoleSite.class.getResourceAsStream("/console/" + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
