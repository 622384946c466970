package org.twinbridge.tools.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.dispatch.OutputTable;
import org.twinbridge.runtime.journal.JournalCounts;

/** The demo's progress line and final report. Counts, ids, pseudonyms and plugin summaries only. */
final class DemoReport {

    private DemoReport() {
    }

    static String progressLine(Duration elapsed, long journalled, long expected,
            Map<String, DeliveryStats.PluginCounters> deliveries) {
        String plugins = deliveries.values().stream()
                .map(p -> String.format("%s: %d delivered, %d denied, %d outputs", p.pluginId(), p.delivered(),
                        p.denied(), p.outputs()))
                .collect(Collectors.joining(" | "));
        return String.format("[%3ds] journalled %d/%d (EHR, lab, wearables, drop folder) | %s", elapsed.toSeconds(),
                journalled, expected, plugins.isEmpty() ? "plugins starting" : plugins);
    }

    static void print(PrintStream out, DemoRun.Result result) {
        out.println();
        out.println("=== TwinBridge demo report ===");
        out.println(section("Records ingested per connector"));
        result.ingested().forEach((id, c) -> out.printf("  %-10s %5d records  (%s)%s%n", id, c.records(),
                c.byType().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")),
                (c.held() + c.deadLetters() == 0) ? "" : "  held " + c.held() + ", dead letters " + c.deadLetters()));
        out.println(section("Records per plugin"));
        result.deliveries().forEach((id, p) -> out.printf(
                "  %-18s %5d delivered, %5d denied by policy, %5d not requested, %d failed%n",
                id, p.delivered(), p.denied(), p.notRequested(), p.failed()));
        out.println(section("Plugin outputs"));
        result.deliveries().forEach((id, p) -> out.printf("  %-18s %s%n", id, p.outputsByKind().isEmpty()
                ? "none" : p.outputsByKind().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", "))));
        result.sampleDeliveries().forEach((plugin, json) -> {
            out.println(section("What " + plugin + " received last (projected and pseudonymised by the policy)"));
            json.lines().forEach(line -> out.println("  " + line));
        });
        if (!result.sampleOutputs().isEmpty()) {
            out.println(section("Latest output per patient (subjects are pseudonyms in each plugin's own key domain)"));
            for (OutputTable.StoredOutput o : result.sampleOutputs()) {
                out.printf("    %-18s %-16s subject %s…  %s%n", o.pluginId(), o.kind(), o.subject().substring(0, 8),
                        o.summary());
            }
        }
        result.refusedPlugins().forEach(r -> out.println("  refused: " + r));
        out.println();
        out.println(result.caughtUp() ? "Every ingested record was decided and, where allowed, delivered."
                : "The run ended before every record was processed (raise --seconds).");
        out.println("Node data (encrypted journal, decision log, outputs): " + result.dataDir()
                + (result.temporary() ? " (temporary, deleted on exit; keep it with --data-dir DIR)" : ""));
    }

    private static String section(String title) {
        return "-- " + title;
    }
}
