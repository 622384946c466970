package org.twinbridge.runtime.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.dispatch.OutputTable;
import org.twinbridge.runtime.journal.JournalCounts;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;

/**
 * The demo pipeline end to end: the embedded FHIR server seeded with a Synthea patient plus ward vital signs,
 * a node whose FHIR connector polls it over HTTP, the real NEWS2 plugin and a recording test plugin, both
 * loaded by pf4j from jars.
 */
class DemoPipelineIT {

    @TempDir
    Path dir;

    @Test
    void pipeline_deliversProjectedPseudonymisedRecords_andTheTwinEmitsScores() throws Exception {
        RecordedDeliveries.RECEIVED.clear();
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

            Path configFile = DemoNode.prepare(dir, world.ehrBaseUrl());
            writeRecorderPlugin(dir.resolve("plugins/recorder-twin.jar"));
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
                    config.node().id());

            try (Node node = Node.start(config, keys, registry, Clock.systemUTC())) {
                assertThat(node.refusedPlugins()).isEmpty();
                assertThat(node.subscribers()).extracting(s -> s.id())
                        .containsExactlyInAnyOrder("news2-twin", "recorder-twin");
                awaitCaughtUp(node, expected, Duration.ofSeconds(120));

                List<RecordedDeliveries.Delivery> received = RecordedDeliveries.RECEIVED;
                assertThat(received).hasSize((int) observations);
                assertThat(received).extracting(RecordedDeliveries.Delivery::resourceType).containsOnly("Observation");
                String subject = received.get(0).subject();
                assertThat(received).extracting(RecordedDeliveries.Delivery::subject).containsOnly(subject);
                assertThat(received).allSatisfy(d -> {
                    assertThat(d.json()).contains("\"subject\":{\"reference\":\"Patient/" + subject + "\"}")
                            .doesNotContain(patientId).doesNotContain(familyName)
                            .doesNotContain("\"identifier\"").doesNotContain("\"text\":{\"status\"");
                    assertThat(d.policyVersion()).startsWith("sha256:");
                });
                assertThat(permitsFor(node, received.get(0).receiptId())).isEqualTo(1);

                Map<String, DeliveryStats.PluginCounters> stats = DeliveryStats.read(node.database());
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
            }
        }
    }

    private static void awaitCaughtUp(Node node, long expected, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            long journalled = JournalCounts.read(node.database()).values().stream()
                    .mapToLong(JournalCounts.ConnectorCounts::records).sum();
            long head = node.journal().headPosition();
            Map<String, DeliveryStats.PluginCounters> stats = DeliveryStats.read(node.database());
            if (journalled >= expected && stats.size() == 2
                    && stats.values().stream().allMatch(p -> p.position() >= head)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("pipeline did not catch up within " + limit);
    }

    private static long permitsFor(Node node, String receiptId) throws Exception {
        return node.database().inTransaction(c -> {
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

    /** A real pf4j plugin jar holding only the recorder class, its manifest and its extension index. */
    private static void writeRecorderPlugin(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", "recorder-twin");
        main.putValue("Plugin-Version", "1.0.0");
        main.putValue("Plugin-Provider", "TwinBridge tests");
        String classFile = RecorderTwin.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            out.write((RecorderTwin.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry(classFile));
            try (var in = RecorderTwin.class.getClassLoader().getResourceAsStream(classFile)) {
                in.transferTo(out);
            }
        }
    }
}
