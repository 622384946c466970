package org.twinbridge.runtime.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "twinbridge-shutdown"));
        System.out.println("TwinBridge node " + config.node().id() + " running; "
                + node.subscribers().size() + " plugin(s), " + config.connectors().size()
                + " connector(s). Stop with Ctrl-C.");
        stopped.await();
        return TwinBridgeCli.OK;
    }
}
