package org.twinbridge.runtime.console;

/**
 * A site served under a path prefix, outside the admin API's authentication: only files that are the same for
 * everyone and hold no PHI. The HTTP server hands it the method and the raw path and sends back what it answers.
 */
@FunctionalInterface
public interface StaticSite {

    /** Answers one request; {@code rawPath} is the request path as sent (not decoded), without the query. */
    StaticResponse serve(String method, String rawPath);
}
