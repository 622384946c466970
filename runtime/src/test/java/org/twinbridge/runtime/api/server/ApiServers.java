package org.twinbridge.runtime.api.server;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.config.NodeConfig;

/**
 * An {@link ApiServer} without a node: one authenticated route and a public health path, trusting an issuer that
 * is never reached (the tests here refuse or serve before a token is verified).
 */
final class ApiServers {

    private ApiServers() {
    }

    static NodeConfig.Api config(Optional<NodeConfig.ApiTls> tls) {
        NodeConfig.Oidc oidc = new NodeConfig.Oidc(URI.create("http://127.0.0.1:9/realms/none"), "twinbridge-api",
                "twinbridge-api", Set.of("RS256"), Duration.ofSeconds(5));
        return new NodeConfig.Api("127.0.0.1", 0, oidc, Map.of(), 65536, 100, 20, Optional.empty(), tls);
    }

    static ApiServer start(Optional<NodeConfig.ApiTls> tls) throws Exception {
        Route things = new Route("POST", "/api/v1/things", Set.of(Role.AUDITOR), true,
                r -> ApiResponse.ok(Map.of("read", r.body().length)));
        return ApiServer.start(config(tls), List.of(things),
                Map.of("/health", r -> ApiResponse.text(200, "application/json", "{\"status\":\"UP\"}")),
                (principal, route, parameters, status) -> { }, Clock.systemUTC());
    }
}
