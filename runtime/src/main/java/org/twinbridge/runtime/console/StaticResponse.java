package org.twinbridge.runtime.console;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * One answer of the console's static site: status, headers (media type, content security policy, caching) and
 * body. It knows no HTTP server, so the same site mounts on the JDK's server or on Jetty.
 */
public record StaticResponse(int status, Map<String, String> headers, byte[] body) {

    public StaticResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    static StaticResponse text(int status, String contentType, String text, Map<String, String> extra) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(extra);
        headers.put("Content-Type", contentType);
        return new StaticResponse(status, headers, text.getBytes(StandardCharsets.UTF_8));
    }
}
