package org.twinbridge.tools.node;

import org.twinbridge.runtime.node.NodeTestAccess;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.tools.demo.MllpSender;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * A whole node with an hl7v2 connector, fed over MLLP: the ACK comes only once the message's records are in the
 * journal, the records link to one patient, that patient is the one another source knows by the same MRN, and
 * an A40 merge makes the old MRN resolve to the surviving patient.
 */
class Hl7v2NodeIT {

    private static final String MRN_SYSTEM = "http://hospital.example.org/mrn";
    @TempDir
    Path dir;
    private Node node;
    private int port;

    private Node start(String connectorExtra) throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("keystore-password"), "hl7-node-test-password");
        Path config = Files.writeString(dir.resolve("twinbridge.yaml"), """
                node:    { id: hl7-node, data-dir: . }
                keys:    { keystore: ./keys.p12, password-file: ./keystore-password }
                connectors:
                  - id: lab
                    type: hl7v2
                    listen: "127.0.0.1:%d"
                    assigning-authorities: { HOSP: "%s" }
                %s
                plugins: { dir: ./plugins, require-signed: false }
                """.formatted(port, MRN_SYSTEM, connectorExtra));
        Files.createDirectories(dir.resolve("plugins"));
        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig nodeConfig = new ConfigLoader(registry.settingKeys()).load(config);
        NodeKeys keys = Files.exists(nodeConfig.keys().keystore())
                ? NodeKeys.load(nodeConfig.keys().keystore(), nodeConfig.keys().password().reveal())
                : NodeKeys.init(nodeConfig.keys().keystore(), nodeConfig.keys().password().reveal(),
                        nodeConfig.node().id(), Clock.systemUTC());
        node = Node.start(nodeConfig, keys, registry, Clock.systemUTC());
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private String send(String message) throws IOException {
        try (MllpSender lab = MllpSender.connect("127.0.0.1", port, Duration.ofSeconds(30))) {
            return lab.send(message);
        }
    }

    /** Resource type and patient key of the lab connector's journal entries, in order. */
    private List<String[]> labEntries() throws Exception {
        return NodeTestAccess.database(node).inTransaction(c -> {
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT resource_type, patient_key, unmapped_count "
                    + "FROM journal WHERE connector_id = 'lab' ORDER BY seq");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), String.valueOf(rs.getInt(3))});
                }
            }
            return rows;
        });
    }

    private static String oru(String controlId, String mrn) {
        return String.join("\r",
                "MSH|^~\\&|LABAPP|LABFAC|TB|NODE|20240305081500+0100||ORU^R01^ORU_R01|" + controlId + "|P|2.5.1",
                "PID|1||" + mrn + "^^^HOSP^MR||Doe^Jane||19700101|F",
                "OBR|1||F-" + controlId + "|24331-1^Lipid panel^LN|||20240305070000+0100",
                "OBX|1|NM|2093-3^Cholesterol^LN||250|mg/dL^^UCUM|<200|H|||F|||20240305071500+0100|||Method",
                "");
    }

    private static String admit(String controlId, String mrn) {
        return String.join("\r",
                "MSH|^~\\&|ADTAPP|HOSPFAC|TB|NODE|20240305||ADT^A01^ADT_A01|" + controlId + "|P|2.5.1",
                "EVN|A01|20240305", "PID|1||" + mrn + "^^^HOSP^MR||Doe^Jane||19700101|F", "");
    }

    @Test
    void oru_isAcknowledgedAA_whenItsRecordsAreAlreadyInTheJournal_allLinkedToOnePatient() throws Exception {
        start("");

        String ack = send(oru("NODE-1", "MRN-1"));
        List<String[]> entries = labEntries();

        assertThat(MllpSender.ackCode(ack)).isEqualTo("AA");
        assertThat(entries).extracting(e -> e[0]).containsExactly("Patient", "Observation", "DiagnosticReport");
        assertThat(entries).extracting(e -> e[1]).doesNotContainNull().containsOnly(entries.get(0)[1]);
        assertThat(entries.get(1)[2]).as("OBX-17 is counted as unmapped").isEqualTo("1");
        assertThat(node.journalActivity().get("added")).isEqualTo(3L);
    }

    @Test
    void resentOru_isAA_andTheJournalHoldsItOnce() throws Exception {
        start("");
        send(oru("NODE-2", "MRN-2"));

        String again = send(oru("NODE-2", "MRN-2"));

        assertThat(MllpSender.ackCode(again)).isEqualTo("AA");
        assertThat(labEntries()).hasSize(3);
        assertThat(node.journalActivity().get("duplicates")).isEqualTo(3L);
    }

    @Test
    void theSameMrnFromAnotherSource_linksToTheSamePatient() throws Exception {
        start("");
        Patient fromEhr = new Patient();
        fromEhr.setId("ehr-patient-9");
        fromEhr.addIdentifier().setSystem(MRN_SYSTEM).setValue("MRN-9");
        node.journal().append(List.of(CanonicalRecord.of("ehr", "Patient/ehr-patient-9", fromEhr)));
        String ehrKey = NodeTestAccess.database(node).inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT patient_key FROM journal WHERE connector_id = 'ehr'");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });

        assertThat(MllpSender.ackCode(send(oru("NODE-9", "MRN-9")))).isEqualTo("AA");

        assertThat(labEntries()).extracting(e -> e[1]).containsOnly(ehrKey);
    }

    @Test
    void a40Merge_makesTheOldMrnResolveToTheSurvivingPatient() throws Exception {
        start("");
        send(admit("ADM-OLD", "MRN-OLD"));
        send(admit("ADM-NEW", "MRN-NEW"));
        String oldKey = labEntries().get(0)[1];
        String newKey = labEntries().get(1)[1];
        assertThat(oldKey).isNotEqualTo(newKey);

        String merge = send(String.join("\r",
                "MSH|^~\\&|ADTAPP|HOSPFAC|TB|NODE|20240306||ADT^A40^ADT_A39|MRG-1|P|2.5.1",
                "EVN|A40|20240306", "PID|1||MRN-NEW^^^HOSP^MR||Doe^Jane||19700101|F", "MRG|MRN-OLD^^^HOSP^MR", ""));
        String later = send(oru("NODE-OLD", "MRN-OLD"));

        assertThat(MllpSender.ackCode(merge)).isEqualTo("AA");
        assertThat(MllpSender.ackCode(later)).isEqualTo("AA");
        List<String[]> entries = labEntries();
        assertThat(entries.subList(entries.size() - 3, entries.size())).extracting(e -> e[1]).containsOnly(newKey);
        String current = NodeTestAccess.database(node).inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT surviving_key FROM patient_merge WHERE merged_key = ?")) {
                ps.setString(1, oldKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        assertThat(current).isEqualTo(newKey);
    }

    @Test
    void invalidConnectorSetting_stopsTheNodeFromStarting_namingTheKey() {
        assertThatThrownBy(() -> start("    max-connections: \"lots\""))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors().get(0).code()).isEqualTo("TB-CONFIG-010");
                    assertThat(e.errors().get(0).message()).contains("connector 'lab'").contains("'max-connections'");
                });
    }
}
