package org.twinbridge.tools.demo;

import org.twinbridge.runtime.node.NodeTestAccess;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.audit.JdbcAuditLog;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.dispatch.OutputTable;
import org.twinbridge.runtime.journal.JournalCounts;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.testplugins.RecorderTwin;

/**
 * The demo pipeline end to end: the embedded FHIR server seeded with a Synthea patient plus ward vital signs,
 * a node whose FHIR connector polls it over HTTP, the real NEWS2 plugin (signed by the demo vendor) and a
 * recording test plugin (signed by a second, test vendor the test adds to the trust store), both loaded by pf4j
 * from jars in isolated class loaders. The recorder can reach the test only through the SDK: it reports each
 * delivery as an output, which the test reads back.
 */
class DemoPipelineIT {

    @TempDir
    Path dir;

    /** One delivery as the recorder plugin saw it, rebuilt from its output. */
    private record Delivery(String subject, String resourceType, String json, String receiptId, String policyVersion) {
        static Delivery of(OutputTable.StoredOutput output) {
            String[] parts = output.summary().split("\\|", 3);
            return new Delivery(output.subject(), parts[0],
                    ((Observation) output.resource()).getValueStringType().getValue(), parts[1], parts[2]);
        }
    }

    @Test
    void pipeline_deliversProjectedPseudonymisedRecords_andTheTwinEmitsScores() throws Exception {
        try (DemoWorld world = DemoWorld.start(1)) {
            Patient seededPatient = world.store().search(Patient.class, p -> true).get(0);
            String patientId = seededPatient.getIdElement().getIdPart();
            String familyName = seededPatient.getNameFirstRep().getFamily();
            WardSimulator ward = new WardSimulator(world.store(), Instant.now());
            while (!ward.finished()) {
                ward.chartNextRound();
            }
            long observations = world.seededOf(List.of("Observation")) + ward.total();
            long expected = world.seededOf(DemoNode.RESOURCES) + ward.total();

            Path configFile = DemoNode.prepare(dir, world.ehrBaseUrl(), DemoNode.freePort(), world.brokerUrl(),
                    java.util.Map.of());
            VendorKey testVendor = PluginJars.vendor("Recorder test vendor");
            testVendor.writeCertificate(dir.resolve("trust/test-vendor.pem"));
            testVendor.sign(PluginJars.write(dir.resolve("plugins/recorder-twin.jar"), RecorderTwin.ID,
                    RecorderTwin.class));
            Files.writeString(dir.resolve("policies/recorder.yaml"), """
                    rules:
                      - id: recorder-observations
                        effect: permit
                        recipients: [recorder-twin]
                        purposes: [TREAT]
                        resource-types: [Observation]
                        project:
                          Observation: [status, category, code, subject, \"effective[x]\", \"value[x]\", component]
                    """);
            ConnectorRegistry registry = ConnectorRegistry.discover();
            NodeConfig config = new ConfigLoader(registry.settingKeys()).load(configFile);
            NodeKeys keys = NodeKeys.init(config.keys().keystore(), config.keys().password().reveal(),
                    config.node().id(), Clock.systemUTC());
            assertThat(config.plugins().requireSigned()).as("the demo requires signed plugins").isTrue();

            try (Node node = Node.start(config, keys, registry, Clock.systemUTC())) {
                assertThat(node.refusedPlugins()).isEmpty();
                assertThat(node.subscribers()).extracting(s -> s.id())
                        .containsExactlyInAnyOrder("news2-twin", "glucose-twin", "tumour-twin", "ward-twin",
                                "implant-twin", "weight-change-twin", "recorder-twin");
                awaitCaughtUp(node, expected, Duration.ofSeconds(120));

                List<Delivery> received = node.outputs().latest(RecorderTwin.ID, 100_000).stream().map(Delivery::of)
                        .toList();
                assertThat(received).hasSize((int) observations);
                assertThat(received).extracting(Delivery::resourceType).containsOnly("Observation");
                String subject = received.get(0).subject();
                assertThat(received).extracting(Delivery::subject).containsOnly(subject);
                assertThat(received).allSatisfy(d -> {
                    assertThat(d.json()).contains("\"subject\":{\"reference\":\"Patient/" + subject + "\"}")
                            .doesNotContain(patientId).doesNotContain(familyName)
                            .doesNotContain("\"identifier\"").doesNotContain("\"text\":{\"status\"");
                    assertThat(d.policyVersion()).startsWith("sha256:");
                });
                assertThat(permitsFor(node, received.get(0).receiptId())).isEqualTo(1);
                var audited = node.auditLog().byReceipt(received.get(0).receiptId())
                        .orElseThrow();
                assertThat(audited.outcome()).contains("PERMIT");
                assertThat(audited.plugin()).contains(RecorderTwin.ID);
                assertThat(audited.detail("pseudonym")).contains(subject);

                Map<String, DeliveryStats.PluginCounters> stats = node.pipeline().deliveries();
                assertThat(stats.get("recorder-twin").denied()).as("its Patient record is not on its allow-list")
                        .isEqualTo(1);
                assertThat(stats.get("news2-twin").delivered()).isGreaterThanOrEqualTo(ward.total());
                assertThat(stats.get("news2-twin").outputsByKind()).containsKeys("OBSERVATION", "RISK_ASSESSMENT",
                        "ALERT");
                List<OutputTable.StoredOutput> outputs = node.outputs().latest("news2-twin", 100);
                assertThat(outputs).extracting(OutputTable.StoredOutput::summary)
                        .anySatisfy(s -> assertThat(s).contains("high"));
                assertThat(outputs).extracting(OutputTable.StoredOutput::subject)
                        .doesNotContain(subject).as("plugins get unlinkable pseudonyms");
                assertThat(count(node, "SELECT COUNT(*) FROM audit_event WHERE kind = 'plugin.admit' "
                        + "AND details LIKE '%\"signature\":\"VALID\"%'")).isEqualTo(node.subscribers().size());
            }
            try (Database db = Database.open(config.storage().url(), null, null)) {
                JdbcAuditLog.Verification audit = db.inTransaction(c -> JdbcAuditLog.verify(c, keys.auditVerifier(),
                        config.node().id()));
                assertThat(audit.intact()).as(audit.toString()).isTrue();
                assertThat(audit.chain().lastCheckpoint()).as("signed at shutdown").isEqualTo(audit.chain().entries());
                assertThat(audit.decisionRowsChecked()).isGreaterThan(observations);
            }
        }
    }

    private static long count(Node node, String sql) throws Exception {
        return NodeTestAccess.database(node).inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void awaitCaughtUp(Node node, long expected, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            long journalled = node.pipeline().journalled().values().stream()
                    .mapToLong(JournalCounts.ConnectorCounts::records).sum();
            long head = node.journal().headPosition();
            Map<String, DeliveryStats.PluginCounters> stats = node.pipeline().deliveries();
            if (journalled >= expected && stats.size() == node.subscribers().size()
                    && stats.values().stream().allMatch(p -> p.position() >= head)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("pipeline did not catch up within " + limit);
    }

    private static long permitsFor(Node node, String receiptId) throws Exception {
        return NodeTestAccess.database(node).inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM decision_log WHERE receipt_id = ? AND outcome = 'PERMIT' "
                            + "AND plugin_id = 'recorder-twin'")) {
                ps.setString(1, receiptId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
