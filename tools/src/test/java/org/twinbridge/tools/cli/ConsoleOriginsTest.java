package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.tools.keycloak.RealmPlan;

/** Where {@code keycloak sync} lets the console's client redirect to, without {@code api.keycloak.console-urls}. */
class ConsoleOriginsTest {

    private static NodeConfig.Api api(String bind, int port) {
        return new NodeConfig.Api(bind, port, new NodeConfig.Oidc(URI.create("https://sso.example/realms/tb"), "tb",
                "tb", Set.of("RS256"), Duration.ofSeconds(30)), Map.of(), 1 << 20, 120, 20, Optional.empty());
    }

    @Test
    void loopbackOrWildcardBind_isReachedAs127001AndLocalhost() {
        assertThat(KeycloakCommand.Sync.defaultConsoleOrigins(api("127.0.0.1", 8080)))
                .containsExactly("http://127.0.0.1:8080", "http://localhost:8080");
        assertThat(KeycloakCommand.Sync.defaultConsoleOrigins(api("0.0.0.0", 9000)))
                .containsExactly("http://127.0.0.1:9000", "http://localhost:9000");
    }

    @Test
    void anotherBind_isItsOwnOrigin_andPortZeroHasNone() {
        assertThat(KeycloakCommand.Sync.defaultConsoleOrigins(api("10.1.2.3", 8080)))
                .containsExactly("http://10.1.2.3:8080");
        assertThat(KeycloakCommand.Sync.defaultConsoleOrigins(api("127.0.0.1", 0))).isEmpty();
    }

    @Test
    void plan_redirectsOnlyToTheCallbackPage_andLogsOutToTheStartPage() {
        RealmPlan plan = new RealmPlan("https://sso.example", "tb", "tb", List.of(), List.of(),
                List.of("https://twinbridge.example"));

        assertThat(plan.consoleRedirectUris()).containsExactly("https://twinbridge.example/console/callback.html");
        assertThat(plan.consoleLogoutUris()).containsExactly("https://twinbridge.example/console/");
    }
}
