package org.twinbridge.runtime.api.server;

import org.twinbridge.runtime.api.ApiRequest;
import org.twinbridge.runtime.api.ProblemDocument;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.Principal;
import org.twinbridge.runtime.api.Route;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.api.auth.JwtVerifier;
import org.twinbridge.runtime.api.auth.TokenRejected;
import org.twinbridge.runtime.config.NodeConfig;

/**
 * The admin HTTP API on the JDK's own HTTP server (no extra stack beside Camel's, nothing to converge). Each call
 * passes, in order: the source address's failed-authentication limit (429), the bearer token (401, counted
 * against the address), the per-subject rate limit (429), routing (404, 405), the role check (403), the request
 * size limit (413), then the handler. The body is read only after all of these, so an unauthenticated caller
 * cannot make the node read (or wait for) a single byte of it. Every refusal is an RFC 9457 problem document.
 * Mutating calls are audited with the caller's subject, whether they succeed or not.
 */
public final class ApiServer implements AutoCloseable {

    /** Records one mutating call in the audit trail. */
    @FunctionalInterface
    public interface CallAudit {
        void record(Principal principal, Route route, Map<String, String> pathParameters, int status);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Route> routes;
    private final Map<String, Route.Handler> publicPaths;
    private final JwtVerifier verifier;
    private final RateLimiter limiter;
    private final RateLimiter authFailures;
    /** How much of an oversized body is read and dropped before the 413, see {@link #discardUpTo}. */
    private static final long DISCARD_LIMIT = 8L << 20;
    private final long maxRequestBytes;
    private final CallAudit audit;

    private ApiServer(HttpServer server, ExecutorService executor, List<Route> routes,
            Map<String, Route.Handler> publicPaths, JwtVerifier verifier, RateLimiter limiter,
            RateLimiter authFailures, long maxRequestBytes, CallAudit audit) {
        this.server = server;
        this.executor = executor;
        this.routes = List.copyOf(routes);
        this.publicPaths = Map.copyOf(publicPaths);
        this.verifier = verifier;
        this.limiter = limiter;
        this.authFailures = authFailures;
        this.maxRequestBytes = maxRequestBytes;
        this.audit = audit;
    }

    /**
     * Binds and starts serving.
     *
     * @param publicPaths exact paths served with GET to anyone (health, metrics, the OpenAPI document); they
     *                    must expose no PHI
     */
    public static ApiServer start(NodeConfig.Api config, List<Route> routes, Map<String, Route.Handler> publicPaths,
            CallAudit audit, Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 50);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "twinbridge-api");
            t.setDaemon(true);
            return t;
        });
        ApiServer api = new ApiServer(server, executor, routes, publicPaths,
                new JwtVerifier(config.oidc(), config.roleMapping()),
                new RateLimiter(config.rateLimitPerMinute(), clock),
                new RateLimiter(config.authFailuresPerMinute(), clock), config.maxRequestBytes(), audit);
        server.createContext("/", api::serve);
        server.setExecutor(executor);
        server.start();
        LOG.info("TB-API-001 admin API listening on http://{}:{} (issuer {})", config.bind(), api.port(),
                config.oidc().issuer());
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Route> routes() {
        return routes;
    }

    /**
     * Serves every path under {@code prefix} (e.g. the console's static shell at {@code /console}) with {@code site},
     * outside the API's token check: the site must serve only files that hold no PHI and are the same for everyone.
     */
    public void mount(String prefix, org.twinbridge.runtime.console.StaticSite site) {
        server.createContext(prefix, exchange -> {
            try {
                var answer = site.serve(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
                answer.headers().forEach(exchange.getResponseHeaders()::set);
                boolean head = exchange.getRequestMethod().equals("HEAD");
                exchange.sendResponseHeaders(answer.status(), head || answer.body().length == 0 ? -1
                        : answer.body().length);
                if (!head && answer.body().length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer.body());
                    }
                }
            } catch (IOException e) {
                LOG.debug("client went away before the response was sent");
            } finally {
                exchange.close();
            }
        });
    }

    private void serve(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        try {
            ApiResponse response = respond(exchange, path);
            send(exchange, response.status(), response.contentType(), response.body(), Map.of());
        } catch (ApiProblem problem) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (problem.status() == 401) {
                headers.put("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            } else if (problem.status() == 429) {
                headers.put("Retry-After", Long.toString(limiter.secondsToNextWindow()));
            }
            send(exchange, problem.status(), ProblemDocument.MEDIA_TYPE, ProblemDocument.render(problem, path),
                    headers);
        } catch (Exception | Error e) {
            // The exception text may hold record content: log its type only.
            LOG.error("TB-API-002 {} {} failed ({})", exchange.getRequestMethod(), path, e.getClass().getName());
            ApiProblem problem = new ApiProblem(500, "TB-API-002", "Internal error",
                    "the request failed inside the node; the node log has the error class");
            send(exchange, 500, ProblemDocument.MEDIA_TYPE, ProblemDocument.render(problem, path), Map.of());
        } finally {
            exchange.close();
        }
    }

    private ApiResponse respond(HttpExchange exchange, String path) throws Exception {
        String method = exchange.getRequestMethod();
        Route.Handler open = publicPaths.get(path);
        if (open != null) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw new ApiProblem(405, "TB-API-006", "Method not allowed", method + " is not allowed on " + path);
            }
            return open.handle(new ApiRequest(method, path, Map.of(), Map.of(), "", new byte[0],
                    new Principal("anonymous", java.util.Set.of())));
        }
        if (!path.startsWith("/api/")) {
            throw ApiProblem.notFound("TB-API-005", "no such resource");
        }
        String address = exchange.getRemoteAddress().getAddress().getHostAddress();
        if (authFailures.exhausted(address)) {
            throw new ApiProblem(429, "TB-API-011", "Too many failed authentications", "too many requests with a "
                    + "missing or invalid token from this address in the last minute; retry after the Retry-After "
                    + "seconds with a valid token (api.auth-failures-per-minute)");
        }
        Principal principal;
        try {
            principal = authenticate(exchange);
        } catch (ApiProblem problem) {
            if (problem.status() == 401) {
                authFailures.tryAcquire(address);
            }
            throw problem;
        }
        if (!limiter.tryAcquire(principal.subject())) {
            throw new ApiProblem(429, "TB-API-007", "Too many requests", "more than the allowed requests per "
                    + "minute for this subject; retry after the Retry-After seconds");
        }
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
        byte[] body = readBody(exchange);
        ApiRequest request = new ApiRequest(method, path, parameters, query(exchange.getRequestURI()),
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse(""), body,
                principal);
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

    private Principal authenticate(HttpExchange exchange) throws ApiProblem {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
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

    private byte[] readBody(HttpExchange exchange) throws IOException, ApiProblem {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ApiProblem.badRequest("TB-API-008", "Content-Length is not a number");
            }
            if (declared > maxRequestBytes) {
                discardUpTo(exchange.getRequestBody(), DISCARD_LIMIT);
                throw tooLarge();
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
            if (body.length > maxRequestBytes) {
                discardUpTo(in, DISCARD_LIMIT);
                throw tooLarge();
            }
            return body;
        }
    }

    /**
     * Reads and drops what an authenticated caller is still sending, up to {@code limit} bytes, so that it receives
     * the 413 rather than a connection reset (closing a socket with unread data resets it, and the client loses the
     * answer). Past the limit the connection is simply closed.
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

    private static Map<String, List<String>> query(URI uri) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
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

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body,
            Map<String, String> headers) {
        try {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            headers.forEach(exchange.getResponseHeaders()::set);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            LOG.debug("client went away before the response was sent");
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
