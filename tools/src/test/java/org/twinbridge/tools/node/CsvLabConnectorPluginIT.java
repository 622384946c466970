package org.twinbridge.tools.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.node.NodeTestAccess;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.testkit.Await;
import org.twinbridge.tools.cli.CliRun;

/**
 * The connector template (connectors/template) as a hospital would install it: the vendor's jar, signed with the
 * vendor's key, dropped in a node's plugin directory with the vendor's certificate in the trust store, and named by
 * type in the node's configuration. A CSV dropped on the share ends in the journal, linked to a patient, and reaches a
 * twin plugin (the twin template, sandboxed) through policy. An unsigned or altered jar keeps the node from starting.
 */
class CsvLabConnectorPluginIT {

    /** Built by connectors/template and copied here by tools' pom (connector-plugins-for-tests). */
    private static final Path CONNECTOR_JAR = Path.of("target/connector-plugins/twinbridge-connector-template.jar");
    private static final Path TWIN_JAR = Path.of("target/classes/bundled-plugins/twinbridge-plugin-template.jar");
    private static final String POLICY = """
            policy-set:
              id: csv-lab-it
              description: The weight-change twin sees body weights, for treatment.
            rules:
              - id: body-weight
                description: body weights for treatment
                effect: permit
                recipients: [weight-change-twin]
                purposes: [TREAT]
                resource-types: [Observation]
                condition: "Observation.code.coding.where(system = 'http://loinc.org' and code = '29463-7').exists()"
                project:
                  Observation: [status, code, subject, "effective[x]", "value[x]"]
            """;

    @TempDir
    Path dir;
    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** Installs both plugin jars; {@code sign} says whether the vendor signs the connector jar. */
    private Path install(boolean signConnector) throws Exception {
        VendorKey vendor = VendorKey.generate("CN=Example Vendor,O=TwinBridge tests",
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        vendor.writeCertificate(Files.createDirectories(dir.resolve("trust")).resolve("example-vendor.pem"));
        Path connector = Files.copy(CONNECTOR_JAR, plugins.resolve("csv-lab-connector.jar"));
        if (signConnector) {
            vendor.sign(connector);
        }
        vendor.sign(Files.copy(TWIN_JAR, plugins.resolve("weight-change-twin.jar")));
        Files.createDirectories(dir.resolve("share"));
        Files.writeString(Files.createDirectories(dir.resolve("policies")).resolve("policy.yaml"), POLICY);
        Files.writeString(dir.resolve("keystore-password"), "csv-lab-it-password");
        return Files.writeString(dir.resolve("twinbridge.yaml"), """
                node:    { id: csv-lab-node, data-dir: . }
                keys:    { keystore: ./keys.p12, password-file: ./keystore-password }
                connectors:
                  - id: lab-share
                    type: csv-lab
                    dir: ./share
                    poll: 200ms
                    settle-time: 200ms
                    patient-system: "http://hospital.example.org/mrn"
                plugins:  { dir: ./plugins, trust-store: ./trust, require-signed: true, allow-unsandboxed: true }
                policies: { dir: ./policies, purposes: { weight-change-twin: TREAT } }
                """);
    }

    private Node start(Path config) throws Exception {
        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig nodeConfig = registry.configLoader().load(config);
        NodeKeys keys = NodeKeys.init(nodeConfig.keys().keystore(), nodeConfig.keys().password().reveal(),
                nodeConfig.node().id(), Clock.systemUTC());
        node = Node.start(nodeConfig, keys, registry, Clock.systemUTC());
        return node;
    }

    /** Resource type and patient key of the lab share's journal entries, in order. */
    private List<String[]> journalled() throws Exception {
        return NodeTestAccess.database(node).inTransaction(c -> {
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT resource_type, patient_key FROM journal "
                    + "WHERE connector_id = 'lab-share' ORDER BY seq");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            return rows;
        });
    }

    @Test
    void aSignedConnectorPlugin_feedsTheJournal_andATwinGetsTheRecords() throws Exception {
        Path config = install(true);
        start(config);

        Files.writeString(dir.resolve("share/.results-0001.csv.tmp"), """
                result_id,patient_id,loinc,display,value,unit,effective
                W-1,MRN-1,29463-7,Body weight,80.0,kg,2026-12-01T08:00:00Z
                W-2,MRN-1,29463-7,Body weight,81.5,kg,2026-12-05T08:00:00Z
                G-1,MRN-1,2345-7,Glucose,5.4,mmol/L,2026-12-05T08:00:00Z
                """);
        Files.move(dir.resolve("share/.results-0001.csv.tmp"), dir.resolve("share/results-0001.csv"));

        Await.until("the file in done/", () -> Files.exists(dir.resolve("share/done/results-0001.csv")),
                () -> journalled().size());
        List<String[]> entries = journalled();
        assertThat(entries).extracting(e -> e[0]).containsExactly("Observation", "Observation", "Observation");
        assertThat(entries).extracting(e -> e[1]).as("linked to one patient by MRN").doesNotContainNull()
                .containsOnly(entries.get(0)[1]);
        Await.until("the twin's output for the second weight",
                () -> !node.outputs().latest("weight-change-twin", 10).isEmpty());
        assertThat(node.outputs().latest("weight-change-twin", 10)).hasSize(1);
        assertThat(node.connector("lab-share").orElseThrow().state().name()).isNotEqualTo("DOWN");

        node.close();
        node = null;
        CliRun list = CliRun.of("plugin", "list", "-c", config.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out())
                .containsPattern("csv-lab-connector\\s+connector\\s+0.1.0-SNAPSHOT\\s+valid\\s+loads\\s+CN=Example Vendor")
                .contains("connector types: csv-lab")
                .containsPattern("weight-change-twin\\s+twin\\s+0.1.0-SNAPSHOT\\s+valid\\s+loads");
    }

    @Test
    void anUnsignedConnectorJar_keepsTheNodeFromStarting_withAClearError() throws Exception {
        Path config = install(false);

        assertThatThrownBy(() -> start(config)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.errors().get(0).code()).isEqualTo("TB-CONFIG-012");
            assertThat(e.errors().get(0).message()).contains("connector type 'csv-lab' is provided by connector "
                    + "plugin csv-lab-connector (csv-lab-connector.jar), which is refused: TB-SIGN-001");
        });
        assertThat(CliRun.of("plugin", "list", "-c", config.toString()).out())
                .containsPattern("csv-lab-connector\\s+connector\\s+0.1.0-SNAPSHOT\\s+unsigned\\s+refused");
    }

    @Test
    void anAlteredConnectorJar_keepsTheNodeFromStarting_withAClearError() throws Exception {
        Path config = install(true);
        Path jar = dir.resolve("plugins/csv-lab-connector.jar");
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(jar, bytes);

        assertThatThrownBy(() -> start(config)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.errors().get(0).code()).isEqualTo("TB-CONFIG-012");
            assertThat(e.errors().get(0).message()).contains("which is refused: TB-SIGN-002");
        });
    }
}
