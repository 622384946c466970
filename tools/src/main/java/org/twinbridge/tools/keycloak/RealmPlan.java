package org.twinbridge.tools.keycloak;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What {@code twinbridge keycloak sync} makes a realm hold: the API's roles and audience, and one service account
 * per plugin and per federation peer.
 *
 * @param serverUrl the Keycloak base URL, e.g. {@code https://sso.example} (from the issuer)
 * @param realm     the realm name (from the issuer, {@code .../realms/<realm>})
 * @param audience  the API's client id, which tokens must carry in {@code aud}
 * @param plugins   plugin ids that get a service-account client
 * @param peers     federation peer ids that get a service-account client
 * @param consoleOrigins the origins users open the web console at ({@code https://host[:port]}); the console's
 *                       public client may redirect only to {@code <origin>/console/...} on these
 */
public record RealmPlan(String serverUrl, String realm, String audience, List<String> plugins, List<String> peers,
        List<String> consoleOrigins) {

    /** The human roles of the API's role table. */
    public static final List<String> USER_ROLES = List.of("privacy-officer", "integration-admin", "auditor",
            "clinician");
    /** Roles of machine accounts; they grant nothing in the API's role table. */
    public static final String PLUGIN_ROLE = "twinbridge-plugin";
    public static final String PEER_ROLE = "twinbridge-federation-peer";
    /** The client scope whose audience mapper puts the API's audience in tokens. */
    public static final String AUDIENCE_SCOPE = "twinbridge-api";
    /** The web console's public client (authorization code with PKCE S256); docs/console.md. */
    public static final String CONSOLE_CLIENT = "twinbridge-console";

    public RealmPlan {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(audience, "audience");
        plugins = List.copyOf(plugins);
        peers = List.copyOf(peers);
        consoleOrigins = List.copyOf(consoleOrigins);
    }

    /** The console's redirect URIs: the login callback page under each origin. */
    public List<String> consoleRedirectUris() {
        return consoleOrigins.stream().map(o -> o + "/console/callback.html").toList();
    }

    /** Where logging out may return to: the console's start page under each origin. */
    public List<String> consoleLogoutUris() {
        return consoleOrigins.stream().map(o -> o + "/console/").toList();
    }

    /**
     * Splits a Keycloak issuer ({@code https://host/realms/name} or {@code https://host/auth/realms/name}) into
     * server URL and realm; empty if the issuer is not a Keycloak realm URL.
     */
    public static java.util.Optional<String[]> splitIssuer(URI issuer) {
        String text = issuer.toString().replaceAll("/+$", "");
        int at = text.lastIndexOf("/realms/");
        if (at < 0 || text.substring(at + 8).isEmpty() || text.substring(at + 8).contains("/")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new String[] {text.substring(0, at), text.substring(at + 8)});
    }

    static String pluginClientId(String pluginId) {
        return "twinbridge-plugin-" + pluginId;
    }

    static String peerClientId(String peerId) {
        return "twinbridge-peer-" + peerId;
    }
}
