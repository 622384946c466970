package org.twinbridge.tools.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keycloak sync}'s failures: each says what to fix, with the right exit code, and never shows the secret. */
class KeycloakSyncCliTest {

    private static final String SECRET = "s3cret-provisioner-password";

    @TempDir
    Path dir;

    private Path config(String api) throws Exception {
        Files.writeString(dir.resolve("kc-admin"), SECRET);
        Path file = dir.resolve("twinbridge.yaml");
        Files.writeString(file, "node: { id: kc-test, data-dir: ./data }\nplugins: { dir: ./plugins }\n" + api);
        return file;
    }

    private Path withIssuer(String server) throws Exception {
        return config("""
                api:
                  oidc: { issuer: "%s/realms/twinbridge", audience: twinbridge-api }
                  keycloak: { admin-user: provisioner, admin-password-file: ./kc-admin }
                """.formatted(server));
    }

    @Test
    void noApiSection_isBadInput() throws Exception {
        CliRun run = CliRun.of("keycloak", "sync", "--config", config("").toString());

        assertThat(run.exitCode()).isEqualTo(TwinBridgeCli.BAD_INPUT);
        assertThat(run.err()).contains("TB-KC-001");
    }

    @Test
    void issuerThatIsNotAKeycloakRealm_isBadInput() throws Exception {
        CliRun run = CliRun.of("keycloak", "sync", "--config", config("""
                api:
                  oidc: { issuer: "https://login.example/oauth2", audience: twinbridge-api }
                  keycloak: { admin-user: provisioner, admin-password-file: ./kc-admin }
                """).toString());

        assertThat(run.exitCode()).isEqualTo(TwinBridgeCli.BAD_INPUT);
        assertThat(run.err()).contains("TB-KC-003");
    }

    @Test
    void unreachableKeycloak_isARuntimeFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliRun run = CliRun.of("keycloak", "sync", "--config", withIssuer("http://127.0.0.1:" + closedPort)
                .toString());

        assertThat(run.exitCode()).isEqualTo(TwinBridgeCli.RUNTIME_FAILURE);
        assertThat(run.err()).contains("TB-KC-005").contains("127.0.0.1:" + closedPort);
        assertThat(run.out() + run.err()).doesNotContain(SECRET);
    }

    @Test
    void refusedAdminLogin_saysWhichAccount_andNotItsPassword() throws Exception {
        WireMockServer keycloak = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .bindAddress("127.0.0.1"));
        keycloak.start();
        try {
            keycloak.stubFor(post(urlEqualTo("/realms/master/protocol/openid-connect/token")).willReturn(aResponse()
                    .withStatus(401).withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}")));

            CliRun run = CliRun.of("keycloak", "sync", "--config", withIssuer("http://127.0.0.1:" + keycloak.port())
                    .toString());

            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(TwinBridgeCli.BAD_INPUT);
            assertThat(run.err()).contains("TB-KC-004").contains("provisioner");
            assertThat(run.out() + run.err()).doesNotContain(SECRET);
        } finally {
            keycloak.stop();
        }
    }
}
