package org.twinbridge.runtime.api.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ApiRequest;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.Principal;
import org.twinbridge.runtime.api.ProblemDocument;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.api.auth.JwtVerifier;
import org.twinbridge.runtime.api.auth.TokenRejected;

/**
 * The admin API's checks, in order, as a Jetty handler: the source address's failed-authentication limit (429), the
 * bearer token (401, counted against the address), the per-subject rate limit (429), routing (404, 405), the role
 * check (403), the request size limit (413), then the route's handler. The body is read only after all of these:
 * Jetty hands the handler the headers and reads content only on demand, so an unauthenticated caller cannot make
 * the node wait for its body or drain it (at most what arrived with the headers is buffered); with the body unread,
 * Jetty closes the connection after the refusal. Every refusal is an RFC 9457 problem document. Mutating
 * calls are audited with the caller's subject, whether they succeed or not. Runs on Jetty's blocking threads.
 */
final class ApiHandler extends Handler.Abstract {

    /** How much of an oversized body is read and dropped before the 413, see {@link #discardUpTo}. */
    private static final long DISCARD_LIMIT = 8L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final List<Route> routes;
    private final Map<String, Route.Handler> publicPaths;
    private final JwtVerifier verifier;
    private final RateLimiter limiter;
    private final RateLimiter authFailures;
    private final long maxRequestBytes;
    private final ApiServer.CallAudit audit;

    ApiHandler(List<Route> routes, Map<String, Route.Handler> publicPaths, JwtVerifier verifier,
            RateLimiter limiter, RateLimiter authFailures, long maxRequestBytes, ApiServer.CallAudit audit) {
        super(InvocationType.BLOCKING);
        this.routes = List.copyOf(routes);
        this.publicPaths = Map.copyOf(publicPaths);
        this.verifier = verifier;
        this.limiter = limiter;
        this.authFailures = authFailures;
        this.maxRequestBytes = maxRequestBytes;
        this.audit = audit;
    }

    List<Route> routes() {
        return routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        try {
            ApiResponse answer = respond(request, path);
            send(request, response, callback, answer.status(), answer.contentType(), answer.body(), Map.of());
        } catch (RateLimiter.Refused refused) {
            send(request, response, callback, 429, ProblemDocument.MEDIA_TYPE,
                    ProblemDocument.render(refused.problem(), path),
                    refusal(request, Map.of("Retry-After", Long.toString(refused.retryAfterSeconds()))));
        } catch (ApiProblem problem) {
            Map<String, String> headers = problem.status() == 401
                    ? Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\"") : Map.of();
            send(request, response, callback, problem.status(), ProblemDocument.MEDIA_TYPE,
                    ProblemDocument.render(problem, path), refusal(request, headers));
        } catch (Exception | Error e) {
            // The exception text may hold record content: log its type only.
            LOG.error("TB-API-002 {} {} failed ({})", request.getMethod(), path, e.getClass().getName());
            ApiProblem problem = new ApiProblem(500, "TB-API-002", "Internal error",
                    "the request failed inside the node; the node log has the error class");
            send(request, response, callback, 500, ProblemDocument.MEDIA_TYPE, ProblemDocument.render(problem, path),
                    refusal(request, Map.of()));
        }
        return true;
    }

    /**
     * A refusal's headers. A refused request's body is left unread (or read only in part), so Jetty closes the
     * connection after the answer; saying so ({@code Connection: close}) keeps a client from sending its next
     * request down a connection that is about to close, where it would get no answer at all.
     */
    private static Map<String, String> refusal(Request request, Map<String, String> headers) {
        boolean hasBody = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (!hasBody) {
            return headers;
        }
        Map<String, String> closing = new LinkedHashMap<>(headers);
        closing.put("Connection", "close");
        return closing;
    }

    private ApiResponse respond(Request http, String path) throws Exception {
        String method = http.getMethod();
        Route.Handler open = publicPaths.get(path);
        if (open != null) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw new ApiProblem(405, "TB-API-006", "Method not allowed", method + " is not allowed on " + path);
            }
            return open.handle(new ApiRequest(method, path, Map.of(), Map.of(), "", new byte[0],
                    new Principal("anonymous", Set.of())));
        }
        if (!path.startsWith("/api/")) {
            throw ApiProblem.notFound("TB-API-005", "no such resource");
        }
        String address = Request.getRemoteAddr(http);
        authFailures.refuseIfExhausted(address, () -> new ApiProblem(429, "TB-API-011",
                "Too many failed authentications", "too many requests with a missing or invalid token from this "
                + "address in the last minute; retry after the Retry-After seconds with a valid token "
                + "(api.auth-failures-per-minute)"));
        Principal principal;
        try {
            principal = authenticate(http.getHeaders().get(HttpHeader.AUTHORIZATION));
        } catch (ApiProblem problem) {
            if (problem.status() == 401) {
                authFailures.count(address);
            }
            throw problem;
        }
        limiter.acquireOrRefuse(principal.subject(), () -> new ApiProblem(429, "TB-API-007", "Too many requests",
                "more than the allowed requests per minute for this subject; retry after the Retry-After seconds"));
        Route route = null;
        Map<String, String> parameters = Map.of();
        boolean pathKnown = false;
        for (Route candidate : routes) {
            Optional<Map<String, String>> match = candidate.match(path);
            if (match.isPresent()) {
                pathKnown = true;
                if (candidate.method().equals(method)) {
                    route = candidate;
                    parameters = match.get();
                    break;
                }
            }
        }
        if (route == null) {
            throw pathKnown ? new ApiProblem(405, "TB-API-006", "Method not allowed", method + " is not allowed here")
                    : ApiProblem.notFound("TB-API-005", "no such resource");
        }
        if (route.roles().stream().noneMatch(principal.roles()::contains)) {
            if (route.mutating()) {
                audit.record(principal, route, parameters, 403);
            }
            throw new ApiProblem(403, "TB-API-030", "Forbidden", method + " " + route.template() + " needs one of "
                    + "the roles " + route.roles().stream().map(Role::claimName).sorted().toList());
        }
        byte[] body = readBody(http);
        ApiRequest request = new ApiRequest(method, path, parameters, query(http.getHttpURI().getQuery()),
                Optional.ofNullable(http.getHeaders().get(HttpHeader.CONTENT_TYPE)).orElse(""), body, principal);
        if (!route.mutating()) {
            return route.handler().handle(request);
        }
        int status = 500;
        try {
            ApiResponse response = route.handler().handle(request);
            status = response.status();
            return response;
        } catch (ApiProblem problem) {
            status = problem.status();
            throw problem;
        } finally {
            audit.record(principal, route, parameters, status);
        }
    }

    private Principal authenticate(String header) throws ApiProblem {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiProblem(401, "TB-API-020", "Unauthorized",
                    "send an access token from the configured issuer: Authorization: Bearer <token>");
        }
        try {
            return verifier.verify(header.substring(7).trim());
        } catch (TokenRejected e) {
            if (e.issuerUnavailable()) {
                LOG.warn("{}", e.getMessage());
                throw new ApiProblem(503, "TB-API-050", "Identity provider unavailable", e.getMessage());
            }
            throw new ApiProblem(401, "TB-API-021", "Unauthorized", e.getMessage());
        }
    }

    private byte[] readBody(Request http) throws IOException, ApiProblem {
        // Jetty has parsed Content-Length already (a non-number is its 400); -1 means chunked or absent.
        long declared = http.getLength();
        InputStream in = Request.asInputStream(http);
        if (declared > maxRequestBytes) {
            discardUpTo(in, DISCARD_LIMIT);
            throw tooLarge();
        }
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
        if (body.length > maxRequestBytes) {
            discardUpTo(in, DISCARD_LIMIT);
            throw tooLarge();
        }
        return body;
    }

    /**
     * Reads and drops what an authenticated caller is still sending, up to {@code limit} bytes, so that it receives
     * the 413 rather than a connection reset (closing a socket with unread data resets it, and the client loses the
     * answer). Past the limit Jetty closes the connection after the answer.
     */
    private static void discardUpTo(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[8192];
        long total = 0;
        int read;
        while (total < limit && (read = in.read(buffer)) != -1) {
            total += read;
        }
    }

    private ApiProblem tooLarge() {
        return new ApiProblem(413, "TB-API-009", "Content too large", "request bodies are limited to "
                + maxRequestBytes + " bytes (api.max-request-bytes)");
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    static void send(Request request, Response response, Callback callback, int status, String contentType,
            byte[] body, Map<String, String> headers) {
        response.setStatus(status);
        HttpFields.Mutable fields = response.getHeaders();
        fields.put(HttpHeader.CONTENT_TYPE, contentType);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        fields.put(new HttpField("X-Content-Type-Options", "nosniff"));
        headers.forEach(fields::put);
        boolean head = request.getMethod().equals("HEAD");
        if (!head) {
            fields.put(HttpHeader.CONTENT_LENGTH, body.length);
        }
        response.write(true, head || body.length == 0 ? null : ByteBuffer.wrap(body), callback);
    }
}
