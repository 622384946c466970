package org.twinbridge.embedded.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A FHIR R4 server over HTTP on 127.0.0.1, backed by an {@link InMemoryFhirStore}: a HAPI FHIR plain
 * {@link RestfulServer} with one {@link InMemoryResourceProvider} per store type, in Jetty, under
 * {@value #BASE_PATH}. Searches return {@value #DEFAULT_PAGE_SIZE} entries a page unless {@code _count} asks
 * for another size (at most {@value #MAX_PAGE_SIZE}), with {@code next} links.
 *
 * <p>For the demo and for tests: plain HTTP, no authentication, loopback only. Thread-safe; {@link #close()}
 * is idempotent.
 */
public final class EmbeddedFhirServer implements AutoCloseable {

    /** The servlet path of the FHIR base. */
    public static final String BASE_PATH = "/fhir";
    /** Entries per search page when the client sends no {@code _count}. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** The largest {@code _count} honoured. */
    public static final int MAX_PAGE_SIZE = 200;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFhirServer.class);
    private static final String HOST = "127.0.0.1";
    // Result sets kept for paging; the oldest is dropped first, so a client paging very slowly may get 410.
    private static final int PAGED_SEARCHES_KEPT = 100;

    private final Server jetty;
    private final FhirContext fhirContext;
    private final InMemoryFhirStore store;
    private final int port;

    private EmbeddedFhirServer(Server jetty, FhirContext fhirContext, InMemoryFhirStore store, int port) {
        this.jetty = jetty;
        this.fhirContext = fhirContext;
        this.store = store;
        this.port = port;
    }

    /**
     * Starts a server with an empty store for {@link InMemoryFhirStore#DEFAULT_TYPES}.
     *
     * @param port the TCP port on 127.0.0.1, or 0 for a free one (see {@link #port()})
     * @throws IllegalStateException if the port cannot be bound or the server does not start
     */
    public static EmbeddedFhirServer start(int port) {
        return start(port, FhirContext.forR4Cached(), new InMemoryFhirStore());
    }

    /**
     * Starts a server over an existing store.
     *
     * @param port        the TCP port on 127.0.0.1, or 0 for a free one
     * @param fhirContext an R4 context, shared rather than created per server because creating one is slow
     * @param store       the resources to serve; it may be filled before or after starting
     * @throws IllegalStateException if the port cannot be bound or the server does not start
     */
    public static EmbeddedFhirServer start(int port, FhirContext fhirContext, InMemoryFhirStore store) {
        Objects.requireNonNull(fhirContext, "fhirContext");
        Objects.requireNonNull(store, "store");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TB-EMBED-FHIR-040 port " + port
                    + " is out of range; use 0 (any free port) or 1 to 65535");
        }
        if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("TB-EMBED-FHIR-030 the server needs an R4 FhirContext, got "
                    + fhirContext.getVersion().getVersion() + "; use FhirContext.forR4Cached()");
        }
        long started = System.nanoTime();
        Server jetty = new Server(new QueuedThreadPool(16, 2));
        ServerConnector connector = new ServerConnector(jetty, 1, 1);
        connector.setHost(HOST);
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder fhir = new ServletHolder("fhir", restfulServer(fhirContext, store));
        // Initialise HAPI while starting, so a bad provider fails start() rather than the first request.
        fhir.setInitOrder(1);
        context.addServlet(fhir, BASE_PATH + "/*");
        jetty.setHandler(context);
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly(jetty);
            throw new IllegalStateException("TB-EMBED-FHIR-041 the embedded FHIR server could not start on "
                    + HOST + ":" + port + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); choose a free port or 0", e);
        }
        EmbeddedFhirServer server = new EmbeddedFhirServer(jetty, fhirContext, store, connector.getLocalPort());
        LOG.info("Embedded FHIR server at {} serving {} resource types, started in {} ms", server.baseUrl(),
                store.resourceTypes().size(), (System.nanoTime() - started) / 1_000_000);
        return server;
    }

    /** The FHIR base URL, such as {@code http://127.0.0.1:41234/fhir}, without a trailing slash. */
    public String baseUrl() {
        return "http://" + HOST + ":" + port + BASE_PATH;
    }

    /** The bound TCP port, also when 0 was asked for. */
    public int port() {
        return port;
    }

    /** The store this server serves; writes to it are visible to the next request. */
    public InMemoryFhirStore store() {
        return store;
    }

    /** The R4 context the server parses and encodes with. */
    public FhirContext fhirContext() {
        return fhirContext;
    }

    /**
     * Stops Jetty and releases the port. Calling it again does nothing.
     *
     * @throws IllegalStateException if Jetty fails to stop
     */
    @Override
    public void close() {
        if (jetty.isStopped()) {
            return;
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("TB-EMBED-FHIR-042 the embedded FHIR server on port " + port
                    + " did not stop cleanly: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedFhirServer[" + baseUrl() + ", " + (jetty.isStarted() ? "started" : "stopped") + "]";
    }

    private static RestfulServer restfulServer(FhirContext fhirContext, InMemoryFhirStore store) {
        RestfulServer server = new RestfulServer(fhirContext);
        server.setServerName("TwinBridge embedded FHIR server");
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(PAGED_SEARCHES_KEPT);
        paging.setDefaultPageSize(DEFAULT_PAGE_SIZE);
        paging.setMaximumPageSize(MAX_PAGE_SIZE);
        server.setPagingProvider(paging);
        List<IResourceProvider> providers = store.resourceTypes().stream()
                .map(type -> provider(type, store)).collect(Collectors.toList());
        server.setResourceProviders(providers);
        return server;
    }

    private static <T extends Resource> IResourceProvider provider(Class<T> type, InMemoryFhirStore store) {
        return new InMemoryResourceProvider<>(type, store);
    }

    private static void stopQuietly(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.debug("stopping Jetty after a failed start also failed", e);
        }
    }
}
