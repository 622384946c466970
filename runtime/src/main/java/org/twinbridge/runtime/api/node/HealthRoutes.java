package org.twinbridge.runtime.api.node;

import java.util.LinkedHashMap;
import java.util.Map;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.observe.NodeObservability;
import org.twinbridge.runtime.observe.NodeHealth;

/**
 * The unauthenticated probes: {@code /health} (everything), {@code /health/live} and {@code /health/ready} (200 or
 * 503 for orchestrators), and {@code /metrics} in the Prometheus text format. None of them holds PHI: ids, states,
 * counts and times only.
 */
public final class HealthRoutes {

    private final NodeObservability node;

    public HealthRoutes(NodeObservability node) {
        this.node = node;
    }

    public Map<String, Route.Handler> publicPaths() {
        Map<String, Route.Handler> paths = new LinkedHashMap<>();
        paths.put("/health", r -> {
            NodeHealth h = node.health();
            return health(h, h.ready(), node);
        });
        paths.put("/health/live", r -> {
            NodeHealth h = node.health();
            return health(h, h.live(), node);
        });
        paths.put("/health/ready", r -> {
            NodeHealth h = node.health();
            return health(h, h.ready(), node);
        });
        paths.put("/metrics", r -> ApiResponse.text(200, "text/plain; version=0.0.4; charset=utf-8",
                node.metrics().scrape()));
        return paths;
    }

    private static ApiResponse health(NodeHealth h, boolean ok, NodeObservability node) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", h.status());
        out.put("node", h.nodeId());
        out.put("live", h.live());
        out.put("ready", h.ready());
        out.put("databaseReachable", h.databaseReachable());
        out.put("connectorsStarted", h.connectorsStarted());
        out.put("keysLoaded", h.keysLoaded());
        out.put("connectors", h.connectors().stream().map(ConnectorRoutes::render).toList());
        out.put("pluginProcesses", node.pluginProcessHealth().stream().map(p -> {
            Map<String, Object> process = new LinkedHashMap<>();
            process.put("plugin", p.pluginId());
            process.put("state", p.state().name());
            process.put("restarts", p.restarts());
            process.put("residentBytes", p.residentBytes());
            process.put("sandboxed", p.sandboxed());
            p.lastFailure().ifPresent(f -> process.put("lastFailure", f));
            return process;
        }).toList());
        node.kafkaWorkerHealth().ifPresent(worker -> out.put("kafkaWorker", worker));
        out.put("checkedAt", h.checkedAt().toString());
        return ApiResponse.json(ok ? 200 : 503, out);
    }
}
