package org.twinbridge.runtime.api.server;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.api.Principal;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.api.auth.JwtVerifier;
import org.twinbridge.runtime.config.NodeConfig;

/**
 * The admin HTTP API on embedded Jetty 12 (the core {@link Handler} API, no servlets), the same Jetty version the
 * jar already carries for the embedded FHIR server. It listens on {@code api.bind:api.port}, in plain HTTP or, with
 * {@code api.tls}, in TLS only, optionally requiring client certificates. {@code /api/**}, health, metrics and the
 * OpenAPI document are served by {@link ApiHandler} at the root context; other handlers (the console, federation)
 * are {@linkplain #mount mounted} at their own context paths behind the same listener and TLS, and do their own
 * authentication. Every answer of Jetty itself (a malformed request, an unknown context) is a problem document too.
 */
public final class ApiServer implements AutoCloseable {

    /** Records one mutating call in the audit trail. */
    @FunctionalInterface
    public interface CallAudit {
        void record(Principal principal, Route route, Map<String, String> pathParameters, int status);
    }

    /** A context path others may mount at: one lower-case segment, and none the API itself serves. */
    private static final Pattern CONTEXT_PATH = Pattern.compile("/[a-z][a-z0-9-]{0,39}");
    private static final Set<String> RESERVED = Set.of("/api", "/health", "/metrics");
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final ContextHandlerCollection contexts;
    private final ApiHandler api;

    private ApiServer(Server server, ServerConnector connector, ContextHandlerCollection contexts, ApiHandler api) {
        this.server = server;
        this.connector = connector;
        this.contexts = contexts;
        this.api = api;
    }

    /**
     * Binds and starts serving.
     *
     * @param publicPaths exact paths served with GET to anyone (health, metrics, the OpenAPI document); they
     *                    must expose no PHI
     * @throws IOException when the address cannot be bound, or (TB-API-004) the TLS stores cannot be read
     */
    public static ApiServer start(NodeConfig.Api config, List<Route> routes, Map<String, Route.Handler> publicPaths,
            CallAudit audit, Clock clock) throws IOException {
        // One acceptor and one selector thread leave 14 for requests, whatever the machine's core count.
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("twinbridge-api");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Access tokens with many roles outgrow Jetty's 8 KiB default; past this the answer is 431 (TB-API-012).
        http.setRequestHeaderSize(32 * 1024);
        ServerConnector connector;
        if (config.tls().isPresent()) {
            SslContextFactory.Server tls = ApiTlsStores.contextFactory(config.tls().get());
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // One certificate, so there is nothing for SNI to choose; clients may reach the node by any name or IP.
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            connector = new ServerConnector(server, 1, 1,
                    new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost(config.bind());
        connector.setPort(config.port());
        server.addConnector(connector);
        ApiHandler api = new ApiHandler(routes, publicPaths, new JwtVerifier(config.oidc(), config.roleMapping()),
                new RateLimiter(config.rateLimitPerMinute()), new RateLimiter(config.authFailuresPerMinute()),
                config.maxRequestBytes(), audit);
        ContextHandlerCollection contexts = new ContextHandlerCollection(new ContextHandler(api, "/"));
        server.setHandler(contexts);
        server.setErrorHandler(new ProblemErrorHandler());
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException(e.getMessage(), e);
        }
        ApiServer started = new ApiServer(server, connector, contexts, api);
        LOG.info("TB-API-001 admin API listening on {}://{}:{} (issuer {}{})", started.scheme(), config.bind(),
                started.port(), config.oidc().issuer(), config.tls().map(t -> t.clientCertificatesRequired()
                        ? ", client certificates required" : "").orElse(""));
        return started;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code https} with {@code api.tls}, else {@code http}. */
    public String scheme() {
        return connector.getDefaultConnectionFactory() instanceof HttpConnectionFactory ? "http" : "https";
    }

    public List<Route> routes() {
        return api.routes();
    }

    /**
     * Serves every path under {@code contextPath} (the console's static shell at {@code /console}) with
     * {@code site}, outside the API's token check: the site must serve only files that hold no PHI and are the
     * same for everyone.
     */
    public void mount(String contextPath, org.twinbridge.runtime.console.StaticSite site) {
        mount(contextPath, new StaticSiteHandler(site));
    }

    /**
     * Serves {@code handler} at {@code contextPath} (e.g. {@code /console}) on this server, behind the same
     * listener and TLS. The API's token checks do not apply there: the handler authenticates its own callers and
     * must deny by default. Thread-safe; the handler is started here. The bare context path (no trailing slash)
     * reaches the handler too, which decides what it means.
     *
     * @throws IllegalArgumentException if the path is not one lower-case segment, is taken, or is the API's own
     */
    public synchronized void mount(String contextPath, Handler handler) {
        if (!CONTEXT_PATH.matcher(contextPath).matches() || RESERVED.contains(contextPath)
                || contexts.getContextPaths().contains(contextPath)) {
            throw new IllegalArgumentException("cannot mount at '" + contextPath + "': a context path is one "
                    + "lower-case segment such as /console, not one of " + RESERVED + " or one already mounted");
        }
        ContextHandler context = new ContextHandler(handler, contextPath);
        context.setAllowNullPathInContext(true);
        try {
            contexts.addHandler(context);
            if (!context.isStarted()) {
                context.start();
            }
        } catch (Exception e) {
            contexts.removeHandler(context);
            throw new IllegalStateException("the handler for " + contextPath + " did not start", e);
        }
        contexts.mapContexts();
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stopping the API after a failed start failed too ({})", e.getClass().getName());
        }
    }

    @Override
    public void close() {
        server.setStopTimeout(1000);
        stopQuietly(server);
    }
}
