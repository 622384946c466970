package org.twinbridge.runtime.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.twinbridge.runtime.api.ApiServer;
import org.twinbridge.runtime.api.NodeApi;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code twinbridge run}: runs a node until it is stopped (SIGTERM or Ctrl-C). */
@Command(name = "run", description = "Run a node from its configuration file until stopped.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Override
    public Integer call() throws Exception {
        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig config = options.load(registry);
        Node node = Node.start(config, NodeOptions.keys(config), registry, Clock.systemUTC());
        ApiServer api;
        try {
            api = config.api().isPresent() ? NodeApi.start(node, config.api().get(), Clock.systemUTC()) : null;
        } catch (java.io.IOException e) {
            node.close();
            throw new TwinBridgeCli.BadInputException("TB-API-003 cannot listen on " + config.api().get().bind() + ":"
                    + config.api().get().port() + " (api.bind, api.port): " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (api != null) {
                api.close();
            }
            node.close();
            stopped.countDown();
        }, "twinbridge-shutdown"));
        System.out.println("TwinBridge node " + config.node().id() + " running; "
                + node.subscribers().size() + " plugin(s), " + config.connectors().size()
                + " connector(s)" + (api == null ? "" : "; admin API on http://" + config.api().get().bind() + ":"
                + api.port() + "/api/v1") + ". Stop with Ctrl-C.");
        stopped.await();
        return TwinBridgeCli.OK;
    }
}
