package org.twinbridge.runtime.api.node;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.Principal;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;

/**
 * {@code GET /api/v1/me}: the caller's subject, TwinBridge roles, and the operations the role table lets them call.
 * The console hides what a user cannot use from this answer; the server refuses those calls anyway.
 */
public final class MeRoute {

    private MeRoute() {
    }

    /** The route, answering from {@code routes} (the node's whole route table, read at call time). */
    public static Route of(List<Route> routes) {
        return new Route("GET", "/api/v1/me", EnumSet.allOf(Role.class), false, request -> {
            Principal who = request.principal();
            List<Map<String, String>> allowed = new ArrayList<>();
            for (Route route : routes) {
                if (route.roles().stream().anyMatch(who.roles()::contains)) {
                    allowed.add(Map.of("method", route.method(), "path", route.template()));
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("subject", who.subject());
            out.put("roles", who.roles().stream().map(Role::claimName).sorted().toList());
            out.put("operations", allowed);
            return ApiResponse.ok(out);
        });
    }
}
