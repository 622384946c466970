package org.twinbridge.tools.cli;

import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.tools.keycloak.KeycloakSync;
import org.twinbridge.tools.keycloak.KeycloakSyncException;
import org.twinbridge.tools.keycloak.RealmPlan;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.plugin.PluginScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code twinbridge keycloak}: provisioning of the identity provider the admin API trusts. */
@Command(name = "keycloak", mixinStandardHelpOptions = true, description = "Provision Keycloak for the admin API.",
        subcommands = {KeycloakCommand.Sync.class})
final class KeycloakCommand {

    /** {@code keycloak sync}. */
    @Command(name = "sync", mixinStandardHelpOptions = true, description = "Create or update, in the realm of "
            + "api.oidc.issuer: the API's roles, its confidential client and audience scope, and a service-account "
            + "client per plugin and federation peer. A second run reports no changes. See docs/api.md.")
    static final class Sync implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            NodeConfig.Api api = config.api().orElseThrow(() -> new TwinBridgeCli.BadInputException(
                    "TB-KC-001 " + config.source() + " has no 'api' section; keycloak sync provisions the realm of "
                            + "api.oidc.issuer (see docs/api.md)"));
            NodeConfig.Keycloak kc = api.keycloak().orElseThrow(() -> new TwinBridgeCli.BadInputException(
                    "TB-KC-002 " + config.source() + " has no 'api.keycloak' section with the admin login, e.g. "
                            + "keycloak: { admin-user: admin, admin-password-env: KEYCLOAK_ADMIN_PASSWORD }"));
            String[] serverAndRealm = RealmPlan.splitIssuer(api.oidc().issuer()).orElseThrow(() ->
                    new TwinBridgeCli.BadInputException("TB-KC-003 api.oidc.issuer '" + api.oidc().issuer()
                            + "' is not a Keycloak realm URL such as https://sso.example/realms/twinbridge"));
            List<String> plugins = PluginScan.scan(config.plugins(), Instant.now()).stream()
                    .filter(PluginScan.PluginFile::admitted).map(PluginScan.PluginFile::pluginId).distinct().sorted()
                    .toList();
            List<String> consoleOrigins = kc.consoleUrls().isEmpty() ? defaultConsoleOrigins(api) : kc.consoleUrls();
            RealmPlan plan = new RealmPlan(serverAndRealm[0], serverAndRealm[1], api.oidc().audience(), plugins,
                    kc.federationPeers(), consoleOrigins);
            System.out.printf("keycloak sync: realm %s at %s (%d plugin(s), %d federation peer(s))%n", plan.realm(),
                    plan.serverUrl(), plugins.size(), plan.peers().size());
            char[] password = kc.adminPassword().reveal();
            try (Keycloak admin = KeycloakBuilder.builder().serverUrl(plan.serverUrl()).realm(kc.adminRealm())
                    .clientId(kc.adminClientId()).username(kc.adminUser()).password(new String(password))
                    .grantType(OAuth2Constants.PASSWORD).build()) {
                List<String> changes = new KeycloakSync(admin, change -> System.out.println("  " + change))
                        .apply(plan);
                System.out.println(changes.isEmpty() ? "no changes" : changes.size() + " change(s)");
                return TwinBridgeCli.OK;
            } catch (KeycloakSyncException e) {
                System.err.println(e.getMessage());
                return TwinBridgeCli.RUNTIME_FAILURE;
            } catch (ProcessingException | WebApplicationException e) {
                if (refusedLogin(e)) {
                    System.err.println("TB-KC-004 Keycloak refused the admin login of '" + kc.adminUser()
                            + "' in realm " + kc.adminRealm() + ": check api.keycloak.admin-user and its password");
                    return TwinBridgeCli.BAD_INPUT;
                }
                if (e instanceof WebApplicationException web) {
                    System.err.println("TB-KC-006 Keycloak answered HTTP " + web.getResponse().getStatus()
                            + " during sync; the admin user needs the realm-admin role of " + plan.realm());
                } else {
                    System.err.println("TB-KC-005 cannot reach Keycloak at " + plan.serverUrl() + " ("
                            + rootCause(e).getClass().getSimpleName() + ")");
                }
                return TwinBridgeCli.RUNTIME_FAILURE;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private static boolean refusedLogin(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof NotAuthorizedException) {
                    return true;
                }
                if (t instanceof WebApplicationException web && web.getResponse() != null
                        && web.getResponse().getStatus() == 401) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Without {@code api.keycloak.console-urls}, the console is reached at the API's own address: on a loopback
         * or wildcard bind, as 127.0.0.1 and localhost on the API's port. With port 0 (a port chosen at start) the
         * address is not known, and there is none.
         */
        static List<String> defaultConsoleOrigins(NodeConfig.Api api) {
            String bind = api.bind();
            if (api.port() == 0) {
                return List.of();
            }
            if (bind.equals("127.0.0.1") || bind.equals("0.0.0.0") || bind.equals("localhost")) {
                return List.of("http://127.0.0.1:" + api.port(), "http://localhost:" + api.port());
            }
            return List.of("http://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + api.port());
        }

        private static Throwable rootCause(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t;
        }
    }
}
