package org.twinbridge.tools.cli;

import java.util.Map;
import java.util.stream.Collectors;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.journal.JournalCounts;

/** Plain-text tables for the terminal. Counts and ids only: nothing here can hold PHI. */
final class ReportFormat {

    private ReportFormat() {
    }

    static String connectorTable(Map<String, JournalCounts.ConnectorCounts> connectors) {
        StringBuilder out = new StringBuilder("Records ingested per connector\n");
        out.append(String.format("  %-16s %9s %9s %9s %9s %9s  %s%n", "connector", "records", "unmapped", "unlinked",
                "held", "dead", "by type"));
        if (connectors.isEmpty()) {
            out.append("  (no records yet)\n");
        }
        connectors.forEach((id, c) -> out.append(String.format("  %-16s %9d %9d %9d %9d %9d  %s%n", id, c.records(),
                c.withUnmapped(), c.unlinked(), c.held(), c.deadLetters(), c.byType().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")))));
        out.append("  (held = device readings waiting for their device to be bound to a patient; dead = rejected "
                + "source messages)\n");
        return out.toString();
    }

    static String pluginTable(Map<String, DeliveryStats.PluginCounters> plugins) {
        StringBuilder out = new StringBuilder("Deliveries per plugin\n");
        out.append(String.format("  %-16s %9s %9s %9s %9s %9s  %s%n", "plugin", "position", "delivered", "denied",
                "skipped", "failed", "outputs"));
        if (plugins.isEmpty()) {
            out.append("  (no plugin has run yet)\n");
        }
        plugins.forEach((id, p) -> out.append(String.format("  %-16s %9d %9d %9d %9d %9d  %s%n", id, p.position(),
                p.delivered(), p.denied(), p.notRequested(), p.failed(), p.outputsByKind().isEmpty() ? "none"
                        : p.outputsByKind().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(", ")))));
        out.append("  (skipped = records the plugin's manifest does not ask for)\n");
        return out.toString();
    }
}
