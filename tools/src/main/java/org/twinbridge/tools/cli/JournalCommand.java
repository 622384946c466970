package org.twinbridge.tools.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.dispatch.PipelineStats;
import org.twinbridge.runtime.journal.JournalCounts;
import org.twinbridge.runtime.node.ConnectorRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code twinbridge journal}: inspect the journal. */
@Command(name = "journal", description = "Inspect the record journal.", subcommands = JournalCommand.Stats.class)
final class JournalCommand {

    /** {@code journal stats}: counts only, no content; needs no keys. */
    @Command(name = "stats", description = "Record counts per connector and delivery counts per plugin.")
    static final class Stats implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            try (NodeSession session = NodeSession.withoutKeys(config)) {
                PipelineStats pipeline = session.services().pipelineStats();
                Map<String, JournalCounts.ConnectorCounts> connectors = pipeline.journalled();
                System.out.println(ReportFormat.connectorTable(connectors));
                System.out.println(ReportFormat.pluginTable(pipeline.deliveries()));
            }
            return TwinBridgeCli.OK;
        }
    }
}
