package org.twinbridge.tools.keycloak;

import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.ClientScopeResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * Makes a Keycloak realm match a {@link RealmPlan}, through the admin REST API. It compares before it writes, so a
 * second run against an unchanged plan changes nothing and reports no changes. It only adds and corrects what it
 * owns; it deletes nothing (a removed plugin's client stays until an operator deletes it). Client secrets stay in
 * Keycloak: nothing here reads or prints them.
 */
public final class KeycloakSync {

    private static final String MAPPER_NAME = "twinbridge-api-audience";

    private final Keycloak admin;
    private final Consumer<String> report;

    /** @param report told of each change as it is made, in words for an operator */
    public KeycloakSync(Keycloak admin, Consumer<String> report) {
        this.admin = admin;
        this.report = report;
    }

    /** Applies the plan; returns the changes made (empty when the realm already matched). */
    public List<String> apply(RealmPlan plan) {
        List<String> changes = new ArrayList<>();
        Consumer<String> changed = change -> {
            changes.add(change);
            report.accept(change);
        };
        if (admin.realms().findAll().stream().noneMatch(r -> r.getRealm().equals(plan.realm()))) {
            RealmRepresentation realm = new RealmRepresentation();
            realm.setRealm(plan.realm());
            realm.setEnabled(true);
            admin.realms().create(realm);
            changed.accept("created realm " + plan.realm());
        }
        RealmResource realm = admin.realm(plan.realm());
        for (String role : RealmPlan.USER_ROLES) {
            ensureRole(realm, role, "TwinBridge admin API role (docs/api.md)", changed);
        }
        ensureRole(realm, RealmPlan.PLUGIN_ROLE, "TwinBridge twin plugin (service account)", changed);
        ensureRole(realm, RealmPlan.PEER_ROLE, "TwinBridge federation peer (service account)", changed);

        ensureClient(realm, plan.audience(), "TwinBridge admin API", false, changed);
        String scopeId = ensureAudienceScope(realm, plan.audience(), changed);
        if (realm.getDefaultDefaultClientScopes().stream().noneMatch(s -> s.getId().equals(scopeId))) {
            realm.addDefaultDefaultClientScope(scopeId);
            changed.accept("made client scope " + RealmPlan.AUDIENCE_SCOPE + " a default scope of new clients");
        }
        if (plan.consoleOrigins().isEmpty()) {
            report.accept("skipped the console client " + RealmPlan.CONSOLE_CLIENT + ": the console's address is not "
                    + "known (api.port is 0); list it in api.keycloak.console-urls");
        } else {
            ensureConsoleClient(realm, plan, scopeId, changed);
        }
        for (String plugin : plan.plugins()) {
            serviceAccount(realm, RealmPlan.pluginClientId(plugin), "TwinBridge plugin " + plugin,
                    RealmPlan.PLUGIN_ROLE, scopeId, changed);
        }
        for (String peer : plan.peers()) {
            serviceAccount(realm, RealmPlan.peerClientId(peer), "TwinBridge federation peer " + peer,
                    RealmPlan.PEER_ROLE, scopeId, changed);
        }
        return changes;
    }

    private static void ensureRole(RealmResource realm, String name, String description, Consumer<String> changed) {
        if (realm.roles().list().stream().noneMatch(r -> r.getName().equals(name))) {
            RoleRepresentation role = new RoleRepresentation(name, description, false);
            realm.roles().create(role);
            changed.accept("created realm role " + name);
        }
    }

    /** A confidential client with no login flows; a service account if asked. Returns its internal id. */
    private static String ensureClient(RealmResource realm, String clientId, String name, boolean serviceAccount,
            Consumer<String> changed) {
        Optional<ClientRepresentation> found = realm.clients().findByClientId(clientId).stream().findFirst();
        if (found.isEmpty()) {
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId(clientId);
            desired(client, name, serviceAccount);
            created(realm.clients().create(client), "client " + clientId);
            changed.accept("created confidential client " + clientId + (serviceAccount ? " (service account)" : ""));
            return realm.clients().findByClientId(clientId).get(0).getId();
        }
        ClientRepresentation client = found.get();
        if (!matches(client, name, serviceAccount)) {
            desired(client, name, serviceAccount);
            realm.clients().get(client.getId()).update(client);
            changed.accept("updated client " + clientId + " (confidential, no login flows"
                    + (serviceAccount ? ", service account" : "") + ")");
        }
        return client.getId();
    }

    private static void desired(ClientRepresentation client, String name, boolean serviceAccount) {
        client.setName(name);
        client.setEnabled(true);
        client.setProtocol("openid-connect");
        client.setPublicClient(false);
        client.setBearerOnly(false);
        client.setStandardFlowEnabled(false);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setServiceAccountsEnabled(serviceAccount);
        client.setClientAuthenticatorType("client-secret");
    }

    private static boolean matches(ClientRepresentation c, String name, boolean serviceAccount) {
        return Objects.equals(c.getName(), name) && Boolean.TRUE.equals(c.isEnabled())
                && Boolean.FALSE.equals(c.isPublicClient()) && !Boolean.TRUE.equals(c.isBearerOnly())
                && Boolean.FALSE.equals(c.isStandardFlowEnabled()) && Boolean.FALSE.equals(c.isImplicitFlowEnabled())
                && Boolean.FALSE.equals(c.isDirectAccessGrantsEnabled())
                && Boolean.valueOf(serviceAccount).equals(c.isServiceAccountsEnabled());
    }

    private static String ensureAudienceScope(RealmResource realm, String audience, Consumer<String> changed) {
        Optional<ClientScopeRepresentation> found = realm.clientScopes().findAll().stream()
                .filter(s -> s.getName().equals(RealmPlan.AUDIENCE_SCOPE)).findFirst();
        String scopeId;
        if (found.isEmpty()) {
            ClientScopeRepresentation scope = new ClientScopeRepresentation();
            scope.setName(RealmPlan.AUDIENCE_SCOPE);
            scope.setDescription("Puts the TwinBridge admin API's audience in access tokens");
            scope.setProtocol("openid-connect");
            scope.setAttributes(Map.of("include.in.token.scope", "false", "display.on.consent.screen", "false"));
            scopeId = created(realm.clientScopes().create(scope), "client scope " + RealmPlan.AUDIENCE_SCOPE);
            changed.accept("created client scope " + RealmPlan.AUDIENCE_SCOPE);
        } else {
            scopeId = found.get().getId();
        }
        ClientScopeResource scope = realm.clientScopes().get(scopeId);
        Map<String, String> config = Map.of("included.client.audience", audience, "access.token.claim", "true",
                "id.token.claim", "false", "introspection.token.claim", "true");
        Optional<ProtocolMapperRepresentation> mapper = scope.getProtocolMappers().getMappers().stream()
                .filter(m -> m.getName().equals(MAPPER_NAME)).findFirst();
        if (mapper.isEmpty()) {
            ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
            m.setName(MAPPER_NAME);
            m.setProtocol("openid-connect");
            m.setProtocolMapper("oidc-audience-mapper");
            m.setConfig(config);
            created(scope.getProtocolMappers().createMapper(m), "audience mapper");
            changed.accept("added audience mapper (aud " + audience + ") to client scope " + RealmPlan.AUDIENCE_SCOPE);
        } else if (!config.entrySet().stream().allMatch(e -> e.getValue().equals(mapper.get().getConfig()
                .get(e.getKey())))) {
            ProtocolMapperRepresentation m = mapper.get();
            m.setConfig(new java.util.HashMap<>(config));
            scope.getProtocolMappers().update(m.getId(), m);
            changed.accept("updated audience mapper of client scope " + RealmPlan.AUDIENCE_SCOPE + " to aud "
                    + audience);
        }
        return scopeId;
    }

    /**
     * The console's public client: authorization code with PKCE S256 only (no implicit flow, no password grant),
     * redirecting only to the console's callback page. Redirect URIs and web origins an operator added by hand are
     * kept; the ones the plan needs are added.
     */
    private static void ensureConsoleClient(RealmResource realm, RealmPlan plan, String scopeId,
            Consumer<String> changed) {
        Optional<ClientRepresentation> found = realm.clients().findByClientId(RealmPlan.CONSOLE_CLIENT).stream()
                .findFirst();
        ClientRepresentation client = found.orElseGet(ClientRepresentation::new);
        List<String> redirects = union(client.getRedirectUris(), plan.consoleRedirectUris());
        List<String> origins = union(client.getWebOrigins(), plan.consoleOrigins());
        Map<String, String> attributes = new java.util.HashMap<>(client.getAttributes() == null ? Map.of()
                : client.getAttributes());
        String logout = String.join("##", union(attributes.get("post.logout.redirect.uris") == null ? List.of()
                : List.of(attributes.get("post.logout.redirect.uris").split("##")), plan.consoleLogoutUris()));
        boolean matches = found.isPresent() && Boolean.TRUE.equals(client.isPublicClient())
                && Boolean.TRUE.equals(client.isEnabled()) && Boolean.TRUE.equals(client.isStandardFlowEnabled())
                && Boolean.FALSE.equals(client.isImplicitFlowEnabled())
                && Boolean.FALSE.equals(client.isDirectAccessGrantsEnabled())
                && !Boolean.TRUE.equals(client.isServiceAccountsEnabled())
                && sameSet(redirects, client.getRedirectUris()) && sameSet(origins, client.getWebOrigins())
                && "S256".equals(attributes.get("pkce.code.challenge.method"))
                && sameSet(List.of(logout.split("##")), attributes.get("post.logout.redirect.uris") == null
                        ? List.of() : List.of(attributes.get("post.logout.redirect.uris").split("##")));
        if (!matches) {
            client.setClientId(RealmPlan.CONSOLE_CLIENT);
            client.setName("TwinBridge console");
            client.setEnabled(true);
            client.setProtocol("openid-connect");
            client.setPublicClient(true);
            client.setBearerOnly(false);
            client.setStandardFlowEnabled(true);
            client.setImplicitFlowEnabled(false);
            client.setDirectAccessGrantsEnabled(false);
            client.setServiceAccountsEnabled(false);
            client.setRedirectUris(redirects);
            client.setWebOrigins(origins);
            attributes.put("pkce.code.challenge.method", "S256");
            attributes.put("post.logout.redirect.uris", logout);
            client.setAttributes(attributes);
            if (found.isEmpty()) {
                created(realm.clients().create(client), "client " + RealmPlan.CONSOLE_CLIENT);
                changed.accept("created public client " + RealmPlan.CONSOLE_CLIENT + " (authorization code + PKCE "
                        + "S256, redirect URIs " + plan.consoleRedirectUris() + ")");
            } else {
                realm.clients().get(client.getId()).update(client);
                changed.accept("updated public client " + RealmPlan.CONSOLE_CLIENT + " (authorization code + PKCE "
                        + "S256, redirect URIs " + redirects + ")");
            }
        }
        String id = realm.clients().findByClientId(RealmPlan.CONSOLE_CLIENT).get(0).getId();
        ClientResource console = realm.clients().get(id);
        if (console.getDefaultClientScopes().stream().noneMatch(s -> s.getId().equals(scopeId))) {
            console.addDefaultClientScope(scopeId);
            changed.accept("added client scope " + RealmPlan.AUDIENCE_SCOPE + " to " + RealmPlan.CONSOLE_CLIENT);
        }
    }

    private static boolean sameSet(List<String> a, List<String> b) {
        return new java.util.HashSet<>(a).equals(new java.util.HashSet<>(b == null ? List.of() : b));
    }

    private static List<String> union(List<String> present, List<String> needed) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(present == null ? List.of() : present);
        all.addAll(needed);
        return List.copyOf(all);
    }

    private static void serviceAccount(RealmResource realm, String clientId, String name, String role,
            String scopeId, Consumer<String> changed) {
        String id = ensureClient(realm, clientId, name, true, changed);
        ClientResource client = realm.clients().get(id);
        if (client.getDefaultClientScopes().stream().noneMatch(s -> s.getId().equals(scopeId))) {
            client.addDefaultClientScope(scopeId);
            changed.accept("added client scope " + RealmPlan.AUDIENCE_SCOPE + " to " + clientId);
        }
        String userId = client.getServiceAccountUser().getId();
        var roles = realm.users().get(userId).roles().realmLevel();
        if (roles.listAll().stream().noneMatch(r -> r.getName().equals(role))) {
            roles.add(List.of(realm.roles().get(role).toRepresentation()));
            changed.accept("granted realm role " + role + " to the service account of " + clientId);
        }
    }

    /** The id of a created resource, from its Location header; a failure names what could not be created. */
    private static String created(Response response, String what) {
        try (response) {
            if (response.getStatus() != 201) {
                throw new KeycloakSyncException("TB-KC-010 Keycloak refused to create " + what + ": HTTP "
                        + response.getStatus());
            }
            String location = response.getLocation().getPath();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }
}
