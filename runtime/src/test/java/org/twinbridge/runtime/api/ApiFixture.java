package org.twinbridge.runtime.api;


import org.twinbridge.runtime.api.server.NodeApi;
import org.twinbridge.runtime.api.server.ApiServer;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.testing.TestNode;

/**
 * A real node on SQLite with the demo policy set and its admin API, trusting an OIDC issuer that WireMock plays:
 * discovery document and JWKS, with keys the test signs tokens with.
 */
final class ApiFixture implements AutoCloseable {

    static final String AUDIENCE = "twinbridge-api";
    static final String CERTS = "/realms/test/protocol/openid-connect/certs";

    final WireMockServer issuerServer;
    final String issuer;
    final Tokens tokens;
    final Node node;
    final ApiServer api;
    final HttpClient http = HttpClient.newHttpClient();

    private ApiFixture(WireMockServer issuerServer, String issuer, Tokens tokens, Node node, ApiServer api) {
        this.issuerServer = issuerServer;
        this.issuer = issuer;
        this.tokens = tokens;
        this.node = node;
        this.api = api;
    }

    static ApiFixture start(Path dir, int ratePerMinute) throws Exception {
        return start(dir, ratePerMinute, NodeConfig.Api.DEFAULT_AUTH_FAILURES_PER_MINUTE);
    }

    static ApiFixture start(Path dir, int ratePerMinute, int authFailuresPerMinute) throws Exception {
        WireMockServer wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
        String issuer = "http://127.0.0.1:" + wm.port() + "/realms/test";
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/realms/test/.well-known/openid-configuration")).willReturn(okJson(
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"http://127.0.0.1:" + wm.port() + CERTS
                + "\",\"authorization_endpoint\":\"" + issuer + "/protocol/openid-connect/auth\",\"token_endpoint\":\""
                + issuer + "/protocol/openid-connect/token\"}")));
        Tokens tokens = new Tokens("key-a", issuer, AUDIENCE);
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo(CERTS)).willReturn(okJson(Tokens.jwks(tokens))));

        Path policies = Files.createDirectories(dir.resolve("policies"));
        for (String file : new String[] {"policy.yaml", "labels.yaml"}) {
            Files.copy(Path.of("../policies/examples/demo").resolve(file), policies.resolve(file));
        }
        Files.createDirectories(dir.resolve("plugins"));
        TestNode.copyKeystore(dir.resolve("keys.p12"));
        Files.writeString(dir.resolve("keys.pw"), new String(TestNode.password()));
        Path configFile = dir.resolve("twinbridge.yaml");
        Files.writeString(configFile, """
                node: { id: api-test, data-dir: ./data }
                keys: { keystore: ./keys.p12, password-file: ./keys.pw }
                plugins: { dir: ./plugins }
                policies: { dir: ./policies, purposes: { erase-twin: TREAT } }
                api:
                  port: 0
                  max-request-bytes: 65536
                  rate-limit-per-minute: %d
                  auth-failures-per-minute: %d
                  oidc: { issuer: "%s", audience: %s, clock-skew-seconds: 5 }
                """.formatted(ratePerMinute, authFailuresPerMinute, issuer, AUDIENCE));
        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig config = new ConfigLoader(registry.settingKeys()).load(configFile);
        Node node = Node.start(config, NodeKeys.load(config.keys().keystore(), TestNode.password()), registry,
                Clock.systemUTC());
        try {
            return new ApiFixture(wm, issuer, tokens, node, NodeApi.start(node, config.api().orElseThrow(),
                    Clock.systemUTC()));
        } catch (Exception | Error e) {
            node.close();
            wm.stop();
            throw e;
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + api.port() + pathAndQuery);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    HttpResponse<String> post(String path, String token, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Override
    public void close() {
        try {
            api.close();
        } finally {
            try {
                node.close();
            } finally {
                issuerServer.stop();
            }
        }
    }
}
