package org.twinbridge.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.sdk.connector.Checkpoints;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.sdk.connector.SourceConnector;
import org.twinbridge.testplugins.connector.SnoopingConnector;

/**
 * Third-party connectors come as signed plugin jars: the same signature check and trust store as twin plugins, their
 * own class loader, and a manifest that declares them as connectors. {@link SnoopingConnector} is a real jar that
 * tries to reach the node's internals while the node asks it for its routes.
 */
class ConnectorPluginTest {

    @TempDir
    Path dir;

    private Path plugins() {
        return dir.resolve("plugins");
    }

    private Path trust() throws Exception {
        return Files.createDirectories(dir.resolve("trust"));
    }

    private Path jar(String types) throws Exception {
        return PluginJars.writeConnector(plugins().resolve("snoop.jar"), SnoopingConnector.ID, SnoopingConnector.class,
                types);
    }

    private NodeConfig.Plugins required() throws Exception {
        return new NodeConfig.Plugins(plugins(), true, Optional.of(trust()), false);
    }

    private ConnectorPluginHost load(NodeConfig.Plugins config) throws Exception {
        return ConnectorPluginHost.load(config, dir.resolve("verified-connectors"),
                ConnectorRegistry.discover().settingKeys().keySet(), Clock.systemUTC());
    }

    private VendorKey trustedVendor() throws Exception {
        VendorKey vendor = PluginJars.vendor("Acme Connectors");
        vendor.writeCertificate(trust().resolve("acme.pem"));
        return vendor;
    }

    /** Runs the snooper's routes() as the node does, and returns what it stored. */
    private static Map<String, String> probe(SourceConnector connector) throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        connector.routes(new ConnectorContext() {
            @Override
            public String connectorId() {
                return "snoop-1";
            }

            @Override
            public String nodeId() {
                return "test-node";
            }

            @Override
            public ConnectorSettings settings() {
                return new ConnectorSettings(Map.of());
            }

            @Override
            public String journalUri() {
                return "direct:journal";
            }

            @Override
            public Checkpoints checkpoints() {
                return new Checkpoints() {
                    @Override
                    public Optional<String> get(String name) {
                        return Optional.ofNullable(seen.get(name));
                    }

                    @Override
                    public void put(String name, String value) {
                        seen.put(name, value);
                    }
                };
            }

            @Override
            public String deadLetterUri() {
                return "direct:dead";
            }
        });
        return seen;
    }

    @Test
    void signedByATrustedVendor_loads_inItsOwnClassLoader_fromTheVerifiedCopy() throws Exception {
        trustedVendor().sign(jar(SnoopingConnector.TYPE));

        try (ConnectorPluginHost host = load(required())) {
            assertThat(host.refused()).isEmpty();
            assertThat(host.types()).containsExactly(Map.entry(SnoopingConnector.TYPE, SnoopingConnector.ID));
            SourceConnector connector = host.get(SnoopingConnector.TYPE).orElseThrow();
            assertThat(connector.settingKeys()).containsExactly("dir");
            assertThat(dir.resolve("verified-connectors/snoop.jar")).hasSameBinaryContentAs(plugins().resolve("snoop.jar"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "org.twinbridge.runtime.crypto.NodeKeys",
        "org.twinbridge.runtime.crypto.DataKeys",
        "org.twinbridge.runtime.journal.JdbcJournal",
        "org.twinbridge.runtime.storage.Database",
        "org.twinbridge.runtime.config.SecretRef",
        "org.twinbridge.runtime.node.Node",
        "org.sqlite.JDBC",
        "org.postgresql.Driver",
        "org.bouncycastle.jce.provider.BouncyCastleProvider",
        "com.fasterxml.jackson.databind.ObjectMapper"})
    void aConnector_cannotLoadNodeInternalsOrDrivers_throughItsOwnOrItsContextClassLoader(String className)
            throws Exception {
        trustedVendor().sign(jar(SnoopingConnector.TYPE));
        try (ConnectorPluginHost host = load(required())) {
            assertThat(probe(host.get(SnoopingConnector.TYPE).orElseThrow()).get(className))
                    .as("Class.forName and the context class loader both throw ClassNotFoundException")
                    .startsWith("hidden|hidden|");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "org.twinbridge.sdk.connector.SourceConnector",
        "org.hl7.fhir.r4.model.Observation",
        "org.apache.camel.builder.RouteBuilder",
        "org.slf4j.LoggerFactory",
        "java.util.List"})
    void aConnector_seesTheSdkAndTheLibrariesItsContractNames(String className) throws Exception {
        trustedVendor().sign(jar(SnoopingConnector.TYPE));
        try (ConnectorPluginHost host = load(required())) {
            assertThat(probe(host.get(SnoopingConnector.TYPE).orElseThrow()).get(className))
                    .startsWith("visible|visible|");
        }
    }

    @Test
    void aConnector_cannotOpenTheNodesDatabaseThroughJdbc_butTheClassLoaderIsNoSandbox() throws Exception {
        trustedVendor().sign(jar(SnoopingConnector.TYPE));
        try (ConnectorPluginHost host = load(required())) {
            Map<String, String> seen = probe(host.get(SnoopingConnector.TYPE).orElseThrow());
            assertThat(seen.get("jdbc:sqlite")).as("DriverManager hides drivers the caller's loader cannot see")
                    .startsWith("refused: No suitable driver");
            // The honest limit, which docs/operators.md and docs/plugins.md state: code in the node's JVM can still
            // ask the JVM's system class loader. Only the signature and the trust store keep hostile code out.
            assertThat(seen.get("org.twinbridge.runtime.crypto.NodeKeys")).isEqualTo("hidden|hidden|visible");
        }
    }

    @Test
    void unsigned_isRefused_withTheSigningCode_andProvidesNoType() throws Exception {
        trustedVendor();
        jar(SnoopingConnector.TYPE);
        try (ConnectorPluginHost host = load(required())) {
            assertThat(host.get(SnoopingConnector.TYPE)).isEmpty();
            assertThat(host.refused()).singleElement().asString()
                    .startsWith("TB-PLUGIN-003 connector plugin snooping-connector (snoop.jar) refused: TB-SIGN-001");
        }
        assertThat(dir.resolve("verified-connectors/snoop.jar")).doesNotExist();
    }

    @Test
    void signedByAnUntrustedVendor_isRefused() throws Exception {
        trustedVendor();
        PluginJars.vendor("Somebody Else").sign(jar(SnoopingConnector.TYPE));
        try (ConnectorPluginHost host = load(required())) {
            assertThat(host.get(SnoopingConnector.TYPE)).isEmpty();
            assertThat(host.refused()).singleElement().asString().contains("TB-SIGN-003");
        }
    }

    @Test
    void alteredAfterSigning_isRefused_evenWhenSignaturesAreNotRequired() throws Exception {
        Path jar = jar(SnoopingConnector.TYPE);
        trustedVendor().sign(jar);
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(jar, bytes);
        NodeConfig.Plugins lenient = new NodeConfig.Plugins(plugins(), false, Optional.of(trust()), false);
        try (ConnectorPluginHost host = load(lenient)) {
            assertThat(host.get(SnoopingConnector.TYPE)).isEmpty();
            assertThat(host.refused()).singleElement().asString().contains("TB-SIGN-002");
        }
    }

    @Test
    void aTypeTheManifestDoesNotDeclare_isRefused() throws Exception {
        trustedVendor().sign(jar("csv-lab"));
        try (ConnectorPluginHost host = load(required())) {
            assertThat(host.get(SnoopingConnector.TYPE)).isEmpty();
            assertThat(host.refused()).singleElement().asString().startsWith("TB-PLUGIN-041").contains("'snoop'");
        }
    }

    @Test
    void aConnectorJar_isNotLoadedAsATwinPlugin_butIsListed() throws Exception {
        trustedVendor().sign(jar(SnoopingConnector.TYPE));
        try (PluginHost twins = PluginHost.load(required(), dir.resolve("verified"), Map.of(), Clock.systemUTC())) {
            assertThat(twins.refused()).isEmpty();
            assertThat(twins.subscribers()).isEmpty();
            assertThat(twins.files()).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(PluginKind.CONNECTOR);
                assertThat(f.connectorTypes()).containsExactly(SnoopingConnector.TYPE);
                assertThat(f.signature().signer().orElseThrow()).contains("CN=Acme Connectors");
            });
        }
    }

    @Test
    void theNode_loadsTheBytesItChecked_notAJarSwappedInAfterTheScan() throws Exception {
        Path jar = jar(SnoopingConnector.TYPE);
        trustedVendor().sign(jar);
        byte[] checked = Files.readAllBytes(jar);
        try (PluginHost twins = PluginHost.load(required(), dir.resolve("verified"), Map.of(), Clock.systemUTC())) {
            PluginJars.writeConnector(jar, "swapped-in", SnoopingConnector.class, SnoopingConnector.TYPE);
            try (ConnectorPluginHost connectors = twins.loadConnectors(dir.resolve("verified-connectors"),
                    Set.of("fhir"))) {
                assertThat(connectors.types()).containsExactly(Map.entry(SnoopingConnector.TYPE, SnoopingConnector.ID));
                assertThat(Files.readAllBytes(dir.resolve("verified-connectors/snoop.jar"))).isEqualTo(checked);
            }
        }
    }

    @Test
    void theConfiguration_acceptsATypeASignedPluginDeclares() throws Exception {
        trustedVendor().sign(jar(SnoopingConnector.TYPE));
        NodeConfig config = ConnectorRegistry.discover().configLoader().load(config());
        assertThat(config.connectors()).singleElement().satisfies(c -> assertThat(c.type()).isEqualTo("snoop"));
    }

    @Test
    void theConfiguration_refusesATypeWhosePluginIsUnsigned_sayingWhy() throws Exception {
        trustedVendor();
        jar(SnoopingConnector.TYPE);
        assertThatThrownBy(() -> ConnectorRegistry.discover().configLoader().load(config()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("twinbridge.yaml:4:")
                .hasMessageContaining("TB-CONFIG-012 connector type 'snoop' is provided by connector plugin "
                        + "snooping-connector (snoop.jar), which is refused: TB-SIGN-001");
    }

    @Test
    void theConfiguration_refusesATypeNoPluginProvides() throws Exception {
        trustedVendor().sign(jar("csv-lab"));
        assertThatThrownBy(() -> ConnectorRegistry.discover().configLoader().load(config()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TB-CONFIG-012 unknown connector type 'snoop'")
                .hasMessageContaining("from connector plugins: csv-lab");
    }

    @Test
    void aJarWithAnUnknownKind_isRefused() throws Exception {
        Path jar = PluginJars.writeConnector(plugins().resolve("odd.jar"), "odd", SnoopingConnector.class, "snoop");
        Path repacked = dir.resolve("odd.jar");
        try (var in = new java.util.jar.JarInputStream(Files.newInputStream(jar))) {
            java.util.jar.Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue("Plugin-Kind", "driver");
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(repacked), manifest)) {
                for (var e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new java.util.jar.JarEntry(e.getName()));
                    in.transferTo(out);
                }
            }
        }
        Files.move(repacked, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        trustedVendor().sign(jar);
        assertThat(PluginScan.scan(required(), java.time.Instant.now())).singleElement()
                .satisfies(f -> assertThat(f.refusal().orElseThrow()).startsWith("TB-PLUGIN-040"));
    }

    private Path config() throws Exception {
        Path file = dir.resolve("twinbridge.yaml");
        Files.writeString(file, """
                node: { id: test-node, data-dir: ./data }
                keys: { keystore: ./keys.p12, password-env: PATH }
                connectors:
                  - { id: lab, type: snoop, dir: ./inbox }
                plugins: { dir: ./plugins, trust-store: ./trust, require-signed: true }
                """);
        return file;
    }

}
