package org.twinbridge.runtime.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;

/**
 * A node told to serve federated tasks refuses to start without what a site needs, rather than serving half
 * configured: no policy set (the allow-list has no federation rules), no vendor trust store for aggregate plugins,
 * no site identity. Each refusal is a located TB-FED error, and the node can start again once it is fixed.
 */
class NodeFederationStartTest {

    @TempDir
    Path dir;

    private NodeConfig config(String policies, String plugins) throws Exception {
        Files.writeString(dir.resolve("pw"), "node-federation-start-test");
        Files.createDirectories(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("policies").resolve("site.yaml"), """
                policy-set: { id: st-marys, description: A site that permits no task yet. }
                rules: []
                """);
        Files.createDirectories(dir.resolve("vendors"));
        Path file = Files.writeString(dir.resolve("twinbridge.yaml"), """
                node: { id: st-marys, data-dir: . }
                keys: { keystore: ./keys.p12, password-file: ./pw }
                %s
                %s
                federation:
                  identity: { keystore: ./federation/identity.p12, password-file: ./pw }
                  listen: "127.0.0.1:0"
                """.formatted(policies, plugins));
        return new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(file);
    }

    private ConfigException startFails(NodeConfig config) throws Exception {
        NodeKeys keys = Files.exists(config.keys().keystore())
                ? NodeKeys.load(config.keys().keystore(), config.keys().password().reveal())
                : NodeKeys.init(config.keys().keystore(), config.keys().password().reveal(), "st-marys",
                        Clock.systemUTC());
        ConfigException[] thrown = new ConfigException[1];
        assertThatThrownBy(() -> Node.start(config, keys, ConnectorRegistry.discover(), Clock.systemUTC()).close())
                .isInstanceOfSatisfying(ConfigException.class, e -> thrown[0] = e);
        return thrown[0];
    }

    @Test
    void serving_withoutAPolicySet_refusesToStart() throws Exception {
        ConfigException e = startFails(config("",
                "plugins: { dir: ./plugins, trust-store: ./vendors }"));
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.code()).isEqualTo("TB-FED-001");
            assertThat(err.message()).contains("policies.dir");
        });
    }

    @Test
    void serving_withoutAVendorTrustStore_refusesToStart() throws Exception {
        ConfigException e = startFails(config("policies: { dir: ./policies }",
                "plugins: { dir: ./plugins, require-signed: false }"));
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.code()).isEqualTo("TB-FED-001");
            assertThat(err.message()).contains("plugins.trust-store");
        });
    }

    @Test
    void serving_withoutASiteIdentity_refusesToStart_andNamesTheFix() throws Exception {
        ConfigException e = startFails(config("policies: { dir: ./policies }",
                "plugins: { dir: ./plugins, trust-store: ./vendors }"));
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.code()).isEqualTo("TB-FED-002");
            assertThat(err.message()).contains("federation init");
        });
        // the failed start released the database: the same node starts once serving is switched off
        Files.writeString(dir.resolve("twinbridge.yaml"), Files.readString(dir.resolve("twinbridge.yaml"))
                .replace("listen: \"127.0.0.1:0\"", "listen: \"127.0.0.1:0\"\n  serve: false"));
        NodeConfig off = new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(dir.resolve("twinbridge.yaml"));
        try (Node node = Node.start(off, NodeKeys.load(off.keys().keystore(), off.keys().password().reveal()),
                ConnectorRegistry.discover(), Clock.systemUTC())) {
            assertThat(node.federationPort()).isEmpty();
        }
    }
}
