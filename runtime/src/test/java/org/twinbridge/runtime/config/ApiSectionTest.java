package org.twinbridge.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.twinbridge.policy.yaml.LocatedError;

class ApiSectionTest {

    private static final Path BASE = Path.of("/etc/twinbridge");
    private final ConfigLoader loader = new ConfigLoader(Map.of());

    private NodeConfig parse(String yaml) throws ConfigException {
        return loader.parse("node.yaml", BASE, new StringReader(yaml));
    }

    private List<LocatedError> errorsOf(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml)).errors();
    }

    @Test
    void api_minimal_bindsLoopbackWithSafeDefaults() throws Exception {
        NodeConfig.Api api = parse("""
                node: { id: a1 }
                api:
                  oidc: { issuer: "https://sso.example/realms/tb", audience: twinbridge-api }
                """).api().orElseThrow();

        assertThat(api.bind()).isEqualTo("127.0.0.1");
        assertThat(api.port()).isEqualTo(8080);
        assertThat(api.oidc().issuer()).isEqualTo(URI.create("https://sso.example/realms/tb"));
        assertThat(api.oidc().clientId()).isEqualTo("twinbridge-api");
        assertThat(api.oidc().algorithms()).containsExactly("RS256");
        assertThat(api.oidc().clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(api.maxRequestBytes()).isEqualTo(1 << 20);
        assertThat(api.rateLimitPerMinute()).isEqualTo(120);
        assertThat(api.keycloak()).isEmpty();
    }

    @Test
    void api_full_readsEveryKey() throws Exception {
        NodeConfig.Api api = parse("""
                node: { id: a1 }
                api:
                  bind: 0.0.0.0
                  port: 9443
                  max-request-bytes: 65536
                  rate-limit-per-minute: 30
                  oidc:
                    issuer: "https://sso.example/realms/tb"
                    audience: tb
                    client-id: tb-api
                    algorithms: [RS256, ES256]
                    clock-skew-seconds: 5
                  roles: { hospital-dpo: privacy-officer }
                  keycloak:
                    admin-user: provisioner
                    admin-password-file: ./kc-admin
                    federation-peers: [st-johns]
                    console-urls: ["https://twinbridge.st-marys.example", "http://127.0.0.1:9443"]
                """).api().orElseThrow();

        assertThat(api.bind()).isEqualTo("0.0.0.0");
        assertThat(api.port()).isEqualTo(9443);
        assertThat(api.maxRequestBytes()).isEqualTo(65536);
        assertThat(api.rateLimitPerMinute()).isEqualTo(30);
        assertThat(api.oidc().clientId()).isEqualTo("tb-api");
        assertThat(api.oidc().algorithms()).containsExactlyInAnyOrder("RS256", "ES256");
        assertThat(api.roleMapping()).containsEntry("hospital-dpo", "privacy-officer");
        NodeConfig.Keycloak kc = api.keycloak().orElseThrow();
        assertThat(kc.adminRealm()).isEqualTo("master");
        assertThat(kc.adminClientId()).isEqualTo("admin-cli");
        assertThat(kc.adminPassword()).isEqualTo(new SecretRef.FromFile(BASE.resolve("./kc-admin"),
                ((SecretRef.FromFile) kc.adminPassword()).ifUnreadable()));
        assertThat(kc.federationPeers()).containsExactly("st-johns");
        assertThat(kc.consoleUrls()).containsExactly("https://twinbridge.st-marys.example", "http://127.0.0.1:9443");
    }

    @Test
    void api_consoleUrl_mustBeAnOrigin() {
        assertThat(errorsOf("""
                node: { id: a1 }
                api:
                  oidc: { issuer: "https://sso.example/realms/tb", audience: tb }
                  keycloak:
                    admin-user: admin
                    admin-password-env: KC
                    console-urls: ["https://tb.example/console/"]
                """)).singleElement().satisfies(e -> {
                    assertThat(e.code()).isEqualTo("TB-CONFIG-004");
                    assertThat(e.message()).contains("https://tb.example/console/").contains("origin");
                });
    }

    @Test
    void api_symmetricAlgorithm_isRefused() {
        assertThat(errorsOf("""
                node: { id: a1 }
                api:
                  oidc: { issuer: "https://sso.example/realms/tb", audience: tb, algorithms: [HS256] }
                """)).singleElement().satisfies(e -> {
                    assertThat(e.code()).isEqualTo("TB-CONFIG-004");
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.message()).contains("HS256").contains("asymmetric");
                });
    }

    @Test
    void api_mistakes_areEachLocated() {
        List<LocatedError> errors = errorsOf("""
                node: { id: a1 }
                api:
                  port: 99999
                  listen: "127.0.0.1:8080"
                  roles: { dpo: data-protection }
                  oidc: { issuer: "ftp://sso", audience: tb }
                """);

        assertThat(errors).extracting(LocatedError::line).contains(3, 4, 5, 6);
        assertThat(errors).extracting(LocatedError::message).anySatisfy(m -> assertThat(m).contains("api.port"))
                .anySatisfy(m -> assertThat(m).contains("unknown key 'api.listen'"))
                .anySatisfy(m -> assertThat(m).contains("data-protection").contains("privacy-officer"))
                .anySatisfy(m -> assertThat(m).contains("api.oidc.issuer"));
    }

    @Test
    void api_withoutOidc_saysWhatToWrite() {
        assertThat(errorsOf("node: { id: a1 }\napi: { port: 8080 }\n")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("api.oidc").contains("issuer"));
    }

    @Test
    void api_keycloakPassword_mustComeFromExactlyOneSecretSource() {
        assertThat(errorsOf("""
                node: { id: a1 }
                api:
                  oidc: { issuer: "https://sso.example/realms/tb", audience: tb }
                  keycloak: { admin-user: admin }
                """)).singleElement().satisfies(e -> assertThat(e.message()).contains("admin-password-env"));
    }
}
