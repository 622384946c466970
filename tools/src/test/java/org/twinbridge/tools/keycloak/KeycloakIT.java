package org.twinbridge.tools.keycloak;

import org.twinbridge.testkit.KeycloakServer;
import org.twinbridge.runtime.api.server.NodeApi;
import org.twinbridge.runtime.api.RoleTable;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.server.ApiServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.twinbridge.tools.cli.CliRun;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.testing.TestNode;

/**
 * The admin API against a real Keycloak: {@code twinbridge keycloak sync} provisions a fresh realm (and a second run
 * changes nothing), users with each role get real tokens by password grant, every cell of the role table in
 * docs/api.md holds end to end, and a privacy officer uploads, explains and activates a policy and reads the audit.
 */
@ExtendWith(KeycloakServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REALM = "twinbridge-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String TEST_CLIENT = "twinbridge-it-console";
    private static final String PASSWORD = "it-" + UUID.randomUUID();
    private static final String PROVISIONER = "provisioner-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PROVISIONER_PASSWORD = "kc-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static Path configFile;
    private static Keycloak admin;
    private static Node node;
    private static ApiServer api;
    private static final Map<Role, String> tokens = new EnumMap<>(Role.class);
    private static final Map<Role, String> userIds = new EnumMap<>(Role.class);

    @BeforeAll
    static void provision() throws Exception {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        for (String file : new String[] {"policy.yaml", "labels.yaml"}) {
            Files.copy(Path.of("../policies/examples/demo").resolve(file), policies.resolve(file));
        }
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path bundled = Path.of("target/classes/bundled-plugins/twinbridge-plugin-news2.jar");
        if (Files.isRegularFile(bundled)) {
            Files.copy(bundled, plugins.resolve(bundled.getFileName()));
        }
        TestNode.copyKeystore(dir.resolve("keys.p12"));
        Files.writeString(dir.resolve("keys.pw"), new String(TestNode.password()));
        admin = KeycloakBuilder.builder().serverUrl(KeycloakServer.URL).realm("master").clientId("admin-cli")
                .username(KeycloakServer.ADMIN).password(KeycloakServer.ADMIN_PASSWORD)
                .grantType(OAuth2Constants.PASSWORD).build();
        // The sync logs in as a provisioning account of its own, as a hospital would set it up.
        user(admin.realm("master"), PROVISIONER, PROVISIONER_PASSWORD, List.of("admin"));
        Files.writeString(dir.resolve("kc-admin"), PROVISIONER_PASSWORD + "\n");
        configFile = dir.resolve("twinbridge.yaml");
        Files.writeString(configFile, """
                node: { id: keycloak-it, data-dir: ./data }
                keys: { keystore: ./keys.p12, password-file: ./keys.pw }
                plugins: { dir: ./plugins }
                policies: { dir: ./policies, purposes: { news2-twin: TREAT } }
                api:
                  port: 0
                  rate-limit-per-minute: 10000
                  oidc: { issuer: "%s/realms/%s", audience: twinbridge-api }
                  keycloak:
                    admin-user: %s
                    admin-password-file: ./kc-admin
                    federation-peers: [st-johns]
                """.formatted(KeycloakServer.URL, REALM, PROVISIONER));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (node != null) {
            node.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    @Order(1)
    void sync_provisionsTheRealm_andASecondRunChangesNothing() {
        CliRun first = CliRun.of("keycloak", "sync", "--config", configFile.toString());
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("created realm " + REALM).contains("created realm role privacy-officer")
                .contains("created confidential client twinbridge-api")
                .contains("created confidential client twinbridge-peer-st-johns (service account)")
                .doesNotContain(PROVISIONER_PASSWORD);
        assertThat(first.err()).doesNotContain(PROVISIONER_PASSWORD);

        CliRun second = CliRun.of("keycloak", "sync", "--config", configFile.toString());
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("no changes");

        RealmResource realm = admin.realm(REALM);
        assertThat(realm.roles().list()).extracting(r -> r.getName()).contains("privacy-officer",
                "integration-admin", "auditor", "clinician");
        String peer = realm.clients().findByClientId("twinbridge-peer-st-johns").get(0).getId();
        assertThat(realm.users().get(realm.clients().get(peer).getServiceAccountUser().getId()).roles().realmLevel()
                .listAll()).extracting(r -> r.getName()).contains("twinbridge-federation-peer");
        if (Files.exists(dir.resolve("plugins/twinbridge-plugin-news2.jar"))) {
            assertThat(realm.clients().findByClientId("twinbridge-plugin-news2-twin")).hasSize(1);
        }
    }

    @Test
    @Order(2)
    void usersOfEachRole_getRealTokens_forARunningNode() throws Exception {
        RealmResource realm = admin.realm(REALM);
        RealmUsers.passwordGrantClient(realm, TEST_CLIENT);
        for (Role role : Role.values()) {
            userIds.put(role, user(realm, "it-" + role.claimName(), List.of(role.claimName())));
            tokens.put(role, token("it-" + role.claimName()));
        }
        JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(tokens.get(Role.AUDITOR)
                .split("\\.")[1]));
        assertThat(claims.path("aud").toString()).contains("twinbridge-api");
        assertThat(claims.path("sub").asText()).isEqualTo(userIds.get(Role.AUDITOR));

        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig config = new ConfigLoader(registry.settingKeys()).load(configFile);
        node = Node.start(config, NodeKeys.load(config.keys().keystore(), TestNode.password()), registry,
                Clock.systemUTC());
        api = NodeApi.start(node, config.api().orElseThrow(), Clock.systemUTC());

        assertThat(get("/api/v1/audit/verify", tokens.get(Role.AUDITOR)).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void everyCellOfTheRoleTable_holds() throws Exception {
        List<String> failures = new java.util.ArrayList<>();
        for (RoleTable.Row row : RoleTable.rows()) {
            for (Role role : Role.values()) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(row.example()))
                        .header("Authorization", "Bearer " + tokens.get(role))
                        .header("Content-Type", "application/json")
                        .method(row.method(), row.method().equals("GET") || row.method().equals("DELETE")
                                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                boolean allowed = row.allowed().contains(role);
                boolean ok = allowed ? !List.of(401, 403, 405).contains(response.statusCode())
                        : response.statusCode() == 403;
                if (!ok) {
                    failures.add(row.method() + " " + row.path() + " as " + role.claimName() + ": "
                            + response.statusCode() + " " + response.body());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    @Order(4)
    void userWithoutRoles_is403_andATokenFromAnotherRealm_is401() throws Exception {
        user(admin.realm(REALM), "it-nobody", List.of());
        assertThat(get("/api/v1/policies", token("it-nobody")).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/policies", admin.tokenManager().getAccessTokenString()).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(5)
    void privacyOfficer_uploadsTestsAndActivatesAPolicy_andReadsTheAudit() throws Exception {
        String officer = tokens.get(Role.PRIVACY_OFFICER);
        Path demo = Path.of("../policies/examples/demo");
        String edited = Files.readString(demo.resolve("policy.yaml")).replace("description: What the demo node's",
                "description: Reviewed - what the demo node's");
        ObjectNode upload = JSON.createObjectNode();
        upload.putObject("files").put("policy.yaml", edited).put("labels.yaml",
                Files.readString(demo.resolve("labels.yaml")));
        HttpResponse<String> uploaded = post("/api/v1/policies", officer, upload.toString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        int version = JSON.readTree(uploaded.body()).path("version").asInt();

        ObjectNode explain = JSON.createObjectNode().put("plugin", "news2-twin").put("purpose", "TREAT")
                .put("consentGiven", true);
        explain.set("record", JSON.readTree(Files.readString(demo.resolve("tests/records/heart-rate.json"))));
        HttpResponse<String> explained = post("/api/v1/policies/" + version + "/explain", officer,
                explain.toString());
        assertThat(JSON.readTree(explained.body()).path("decision").asText()).isEqualTo("permit");

        HttpResponse<String> activated = post("/api/v1/policies/" + version + "/activate", officer, "");
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(JSON.readTree(activated.body()).path("version").asInt()).isEqualTo(version);

        JsonNode entries = JSON.readTree(get("/api/v1/audit?kind=policy.activate", officer).body()).path("entries");
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.path("actor").asText()).isEqualTo("user:" + userIds.get(Role.PRIVACY_OFFICER));
            assertThat(e.path("details").path("version").asText()).isEqualTo(Integer.toString(version));
        });
        assertThat(Stream.of(get("/api/v1/audit/export?kind=policy.activate", officer).body().split("\n")))
                .allSatisfy(line -> assertThat(line).contains("\"resourceType\":\"AuditEvent\""));
        assertThat(JSON.readTree(get("/api/v1/audit/verify", officer).body()).path("intact").asBoolean()).isTrue();
    }

    private static String user(RealmResource realm, String username, List<String> roles) {
        return user(realm, username, PASSWORD, roles);
    }

    private static String user(RealmResource realm, String username, String secret, List<String> roles) {
        return RealmUsers.create(realm, username, secret, roles);
    }

    private static String token(String username) throws Exception {
        return RealmUsers.token(REALM, TEST_CLIENT, username, PASSWORD);
    }

    private static URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + api.port() + pathAndQuery);
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
