package org.twinbridge.runtime.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.policy.yaml.LocatedError;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.config.SecretRef;

/** The admin API's native TLS: server certificate, refusal of plaintext, and required client certificates. */
class ApiTlsTest {

    private static final LocatedError UNREADABLE = new LocatedError("test", 1, 1, "TB-KEYS-002", "unreadable");

    @TempDir
    Path dir;
    private TlsMaterial pki;

    @BeforeEach
    void pki() throws Exception {
        pki = TlsMaterial.create(dir);
    }

    private NodeConfig.ApiTls tls(boolean clientCertificates) {
        SecretRef password = new SecretRef.FromFile(pki.passwordFile, UNREADABLE);
        return new NodeConfig.ApiTls(pki.serverKeystore, password,
                clientCertificates ? Optional.of(pki.truststore) : Optional.empty(),
                clientCertificates ? Optional.of(password) : Optional.empty());
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tls_servesHealth_andRefusesAnUnauthenticatedCall_overHttps() throws Exception {
        try (ApiServer api = ApiServers.start(Optional.of(tls(false)))) {
            HttpClient client = pki.client(false);

            HttpResponse<String> health = get(client, "https://127.0.0.1:" + api.port() + "/health");
            HttpResponse<String> refused = get(client, "https://127.0.0.1:" + api.port() + "/api/v1/things");

            assertThat(api.scheme()).isEqualTo("https");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.sslSession()).isPresent();
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void plaintextHttp_toTheTlsPort_isRefused() throws Exception {
        try (ApiServer api = ApiServers.start(Optional.of(tls(false)))) {
            HttpClient plain = HttpClient.newHttpClient();

            assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + api.port() + "/health"))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void requiredClientCertificate_refusesAClientWithoutOne_andServesOneWithIt() throws Exception {
        try (ApiServer api = ApiServers.start(Optional.of(tls(true)))) {
            String url = "https://127.0.0.1:" + api.port() + "/health";

            assertThatThrownBy(() -> get(pki.client(false), url)).isInstanceOf(IOException.class);
            assertThat(get(pki.client(true), url).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void wrongKeystorePassword_isTbApi004_naming_theFile() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong.pw"), "not-the-password");
        NodeConfig.ApiTls bad = new NodeConfig.ApiTls(pki.serverKeystore,
                new SecretRef.FromFile(wrong, UNREADABLE), Optional.empty(),
                Optional.empty());

        assertThatThrownBy(() -> ApiServers.start(Optional.of(bad))).isInstanceOf(IOException.class)
                .hasMessageContaining("TB-API-004").hasMessageContaining("server.p12");
    }
}
