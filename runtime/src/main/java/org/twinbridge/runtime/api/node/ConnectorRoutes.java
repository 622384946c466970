package org.twinbridge.runtime.api.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ApiRequest;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.observe.ConnectorControl;
import org.twinbridge.runtime.observe.ConnectorHealth;

/**
 * {@code /api/v1/connectors}: each connector's state, lag, counters and last error kind, and pause/resume (the node
 * audits both with the caller's subject).
 */
public final class ConnectorRoutes {

    private static final Set<Role> READERS = Set.of(Role.INTEGRATION_ADMIN, Role.AUDITOR);
    private static final Set<Role> ADMIN = Set.of(Role.INTEGRATION_ADMIN);

    private final ConnectorControl connectors;

    public ConnectorRoutes(ConnectorControl connectors) {
        this.connectors = connectors;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/connectors", READERS, false, r -> list()),
                new Route("POST", "/api/v1/connectors/{id}/pause", ADMIN, true, r -> control(r, true)),
                new Route("POST", "/api/v1/connectors/{id}/resume", ADMIN, true, r -> control(r, false)));
    }

    private ApiResponse list() {
        return ApiResponse.ok(Map.of("connectors", connectors.connectors().stream().map(ConnectorRoutes::render)
                .toList()));
    }

    private ApiResponse control(ApiRequest request, boolean pause) throws ApiProblem {
        String id = request.path("id");
        String actor = request.principal().auditActor();
        Optional<ConnectorHealth> health = pause ? connectors.pause(id, actor) : connectors.resume(id, actor);
        return ApiResponse.ok(render(health.orElseThrow(() -> ApiProblem.notFound("TB-API-095",
                "no connector '" + id + "' on this node"))));
    }

    /** Ids, codes, counts and times only: a connector's health holds no source content. */
    static Map<String, Object> render(ConnectorHealth h) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", h.connectorId());
        out.put("type", h.type());
        out.put("state", h.state().name());
        out.put("lagSeconds", h.lag() == null ? null : h.lagSeconds());
        out.put("lastErrorKind", h.lastErrorKind());
        out.put("lastErrorAt", h.lastErrorAt() == null ? null : h.lastErrorAt().toString());
        out.put("received", h.received());
        out.put("journalled", h.journalled());
        out.put("failed", h.failed());
        out.put("lastJournalledAt", h.lastJournalledAt() == null ? null : h.lastJournalledAt().toString());
        return out;
    }
}
