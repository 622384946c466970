package org.twinbridge.tools.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.twinbridge.runtime.api.server.ApiServer;
import org.twinbridge.runtime.api.server.NodeApi;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code twinbridge run}: runs a node until it is stopped (SIGTERM or Ctrl-C), printing a status line now and then. */
@Command(name = "run", description = "Run a node from its configuration file until stopped.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Option(names = "--status-every", paramLabel = "SECONDS", defaultValue = "60",
            description = "Print a status line (health, connector counters and lag, plugin backlog) every SECONDS; "
                    + "0 turns it off (default: ${DEFAULT-VALUE}).")
    int statusEvery;

    @Override
    public Integer call() throws Exception {
        if (statusEvery < 0) {
            System.err.println("--status-every must be 0 or more seconds, not " + statusEvery);
            return TwinBridgeCli.BAD_INPUT;
        }
        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig config = options.load(registry);
        Node node = Node.start(config, NodeOptions.keys(config), registry, Clock.systemUTC());
        ApiServer api;
        try {
            api = config.api().isPresent() ? NodeApi.start(node, config.api().get(), Clock.systemUTC()) : null;
        } catch (java.io.IOException e) {
            node.close();
            // A TLS store that cannot be read says so itself (TB-API-004); anything else is the listener.
            throw new TwinBridgeCli.BadInputException(e.getMessage() != null && e.getMessage().startsWith("TB-API-004")
                    ? e.getMessage() : "TB-API-003 cannot listen on " + config.api().get().bind() + ":"
                    + config.api().get().port() + " (api.bind, api.port): " + e.getMessage());
        }
        ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "twinbridge-status");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            status.shutdownNow();
            if (api != null) {
                api.close();
            }
            node.close();
            stopped.countDown();
        }, "twinbridge-shutdown"));
        System.out.println("TwinBridge node " + config.node().id() + " running; "
                + node.subscribers().size() + " plugin(s), " + config.connectors().size()
                + " connector(s)" + (api == null ? "" : "; admin API on http://" + config.api().get().bind() + ":"
                + api.port() + "/api/v1")
                + node.federationPort().map(p -> "; federated tasks on https://"
                        + config.federation().orElseThrow().listen().orElseThrow().getHostString() + ":" + p
                        + " (mutual TLS)").orElse("") + ". Stop with Ctrl-C.");
        if (statusEvery > 0) {
            status.scheduleWithFixedDelay(() -> printStatus(node), statusEvery, statusEvery, TimeUnit.SECONDS);
        }
        stopped.await();
        return TwinBridgeCli.OK;
    }

    private static void printStatus(Node node) {
        try {
            System.out.println(StatusLine.of(node));
        } catch (RuntimeException e) {
            // A status line must never stop the node; the next one may succeed.
            System.out.println("status unavailable (" + e.getClass().getSimpleName() + ")");
        }
    }
}
