package org.twinbridge.tools.cli;

import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.observe.ConnectorHealth;
import org.twinbridge.runtime.observe.NodeHealth;

/**
 * The one-line progress summary {@code run} prints periodically: readiness, each connector's state, counters and
 * lag, and each plugin's delivery counts and backlog. Ids, codes and counts only.
 */
final class StatusLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private StatusLine() {
    }

    static String of(Node node) {
        NodeHealth health = node.health();
        StringJoiner line = new StringJoiner(" | ");
        line.add(TIME.format(health.checkedAt()) + " " + health.status()
                + (health.ready() ? "" : notReady(health)));
        for (ConnectorHealth c : health.connectors()) {
            line.add(connector(c));
        }
        try {
            long head = node.pipeline().journalHead();
            for (Map.Entry<String, DeliveryStats.PluginCounters> e : node.pipeline().deliveries().entrySet()) {
                DeliveryStats.PluginCounters p = e.getValue();
                line.add(String.format(Locale.ROOT, "%s delivered %d denied %d failed %d behind %d", e.getKey(),
                        p.delivered(), p.denied(), p.failed(), Math.max(0, head - p.position())));
            }
        } catch (SQLException e) {
            line.add("plugins: database unavailable");
        }
        return line.toString();
    }

    static String connector(ConnectorHealth c) {
        return c.summary();
    }

    private static String notReady(NodeHealth health) {
        StringJoiner why = new StringJoiner(", ", " (", ")");
        if (!health.databaseReachable()) {
            why.add("database unreachable");
        }
        if (!health.connectorsStarted()) {
            why.add("connectors not started");
        }
        if (!health.keysLoaded()) {
            why.add("keys not loaded");
        }
        return why.toString();
    }
}
