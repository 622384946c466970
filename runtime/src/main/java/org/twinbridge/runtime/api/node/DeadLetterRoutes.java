package org.twinbridge.runtime.api.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ApiRequest;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.deadletter.DeadLetterId;
import org.twinbridge.runtime.deadletter.DeadLetterService;
import org.twinbridge.runtime.deadletter.DeadLetters;
import org.twinbridge.runtime.deadletter.ParkedDeliveries;
import org.twinbridge.runtime.deadletter.Replay;

/**
 * {@code /api/v1/deadletters}: the plugins' parked deliveries and the connectors' dead letters (metadata only, as
 * {@code twinbridge deadletter list} shows them), replay of a parked delivery and drop of either, each audited by
 * the service ({@code deadletter.replay}, {@code deadletter.drop}) with the caller's user id.
 */
public final class DeadLetterRoutes {

    private static final Set<Role> READERS = Set.of(Role.INTEGRATION_ADMIN, Role.AUDITOR);
    private static final Set<Role> ADMIN = Set.of(Role.INTEGRATION_ADMIN);
    private static final int MAX_LIMIT = 10_000;

    private final Supplier<DeadLetterService> service;

    public DeadLetterRoutes(Supplier<DeadLetterService> service) {
        this.service = service;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/deadletters", READERS, false, this::list),
                new Route("POST", "/api/v1/deadletters/{id}/replay", ADMIN, true, this::replay),
                new Route("POST", "/api/v1/deadletters/{id}/drop", ADMIN, true, this::drop));
    }

    private ApiResponse list(ApiRequest request) throws Exception {
        int limit = request.limit(1000, MAX_LIMIT);
        DeadLetterService.Listing listing = service.get().list(new DeadLetterService.Filter(request.query("plugin"),
                request.query("all").map(Boolean::parseBoolean).orElse(false), limit));
        List<Map<String, Object>> parked = new ArrayList<>();
        for (ParkedDeliveries.Parked p : listing.parked()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", new DeadLetterId.Parked(p.id()).toString());
            one.put("plugin", p.pluginId());
            one.put("journalSeq", p.journalSeq());
            one.put("attempts", p.attempts());
            one.put("status", p.status().name());
            one.put("parkedAt", p.parkedAt().toString());
            one.put("resolvedAt", p.resolvedAt().map(Object::toString).orElse(null));
            one.put("reason", p.failure().describe());
            parked.add(one);
        }
        List<Map<String, Object>> connectors = new ArrayList<>();
        for (DeadLetters.Entry e : listing.connectors()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", new DeadLetterId.Connector(e.seq()).toString());
            one.put("connector", e.connectorId());
            one.put("reasonCode", e.reasonCode());
            one.put("reason", e.reason());
            one.put("payloadBytes", e.payloadBytes());
            one.put("occurrences", e.occurrences());
            one.put("lastSeen", e.lastSeen().toString());
            connectors.add(one);
        }
        return ApiResponse.ok(Map.of("parked", parked, "connectors", connectors));
    }

    private ApiResponse replay(ApiRequest request) throws Exception {
        DeadLetterId id = id(request);
        try {
            Replay outcome = service.get().replay(id, request.principal().auditActor());
            return ApiResponse.ok(Map.of("id", id.toString(), "outcome", DeadLetterService.describe(outcome)));
        } catch (DeadLetterService.DeadLetterException e) {
            throw refused(e);
        }
    }

    private ApiResponse drop(ApiRequest request) throws Exception {
        DeadLetterId id = id(request);
        try {
            service.get().drop(id, request.principal().auditActor());
            return ApiResponse.ok(Map.of("id", id.toString(), "dropped", true));
        } catch (DeadLetterService.DeadLetterException e) {
            throw refused(e);
        }
    }

    private static DeadLetterId id(ApiRequest request) throws ApiProblem {
        Optional<DeadLetterId> id = DeadLetterId.parse(request.path("id"));
        return id.orElseThrow(() -> ApiProblem.notFound("TB-API-096", "dead letters are named P-12 (a parked "
                + "plugin delivery) or C-5 (a connector dead letter); list them with GET /api/v1/deadletters"));
    }

    /** The service's refusals say what to do and hold no PHI (its contract); its TB-DEADLETTER code leads. */
    private static ApiProblem refused(DeadLetterService.DeadLetterException e) {
        return new ApiProblem(409, "TB-API-097", "Dead letter not handled", e.getMessage());
    }
}
