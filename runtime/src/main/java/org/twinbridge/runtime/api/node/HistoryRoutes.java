package org.twinbridge.runtime.api.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.observe.MetricHistory;

/**
 * {@code GET /api/v1/node/history}: the last hour of throughput and lag, one sample a minute, for the console's
 * charts. The same readers as {@code /api/v1/connectors}; ids, counts, rates and times only.
 */
public final class HistoryRoutes {

    private static final Set<Role> READERS = Set.of(Role.INTEGRATION_ADMIN, Role.AUDITOR);

    private final MetricHistory history;

    public HistoryRoutes(MetricHistory history) {
        this.history = history;
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/node/history", READERS, false, r -> history()));
    }

    private ApiResponse history() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("intervalSeconds", MetricHistory.INTERVAL.toSeconds());
        out.put("capacity", MetricHistory.CAPACITY);
        out.put("samples", history.samples().stream().map(HistoryRoutes::render).toList());
        return ApiResponse.ok(out);
    }

    private static Map<String, Object> render(MetricHistory.Sample sample) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", sample.at().toString());
        out.put("connectors", sample.connectors().entrySet().stream().map(e -> {
            Map<String, Object> one = point(e.getKey(), e.getValue(), "journalled");
            one.put("lagSeconds", e.getValue().lag());
            return one;
        }).toList());
        out.put("plugins", sample.plugins().entrySet().stream().map(e -> {
            Map<String, Object> one = point(e.getKey(), e.getValue(), "delivered");
            // A count of journal records, whole by nature.
            one.put("cursorLag", e.getValue().lag() == null ? null : e.getValue().lag().longValue());
            return one;
        }).toList());
        return out;
    }

    private static Map<String, Object> point(String id, MetricHistory.Point p, String count) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put(count, p.count());
        out.put(count + "PerMinute", p.perMinute());
        return out;
    }
}
