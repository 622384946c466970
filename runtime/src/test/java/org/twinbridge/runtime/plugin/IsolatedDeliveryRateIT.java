package org.twinbridge.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.testplugins.misbehaving.WellBehavedTwin;

/**
 * A measurement, not a check of speed: how many deliveries a second a node makes to one plugin that runs in its
 * own sandboxed process (bubblewrap), on the embedded database. Run on demand (BENCHMARKS.md, issue 18) with
 * {@code -Dtwinbridge.measure=true}; {@code twinbridge.measure.patients} and {@code twinbridge.measure.per-patient}
 * size it. It asserts only that every record arrived once; the rate is printed.
 */
@EnabledIfSystemProperty(named = "twinbridge.measure", matches = "true")
class IsolatedDeliveryRateIT {

    @TempDir
    Path dir;

    @Test
    void deliveriesPerSecond_toASandboxedPlugin() throws Exception {
        int patients = Integer.getInteger("twinbridge.measure.patients", 50);
        int perPatient = Integer.getInteger("twinbridge.measure.per-patient", 40);
        NodeConfig config = writeNode();
        NodeKeys keys = NodeKeys.init(config.keys().keystore(), "rate-it".toCharArray(), config.node().id(),
                Clock.systemUTC());
        try (Node node = Node.start(config, keys, ConnectorRegistry.discover(), Clock.systemUTC())) {
            assertThat(node.refusedPlugins()).isEmpty();
            List<CanonicalRecord> records = records(patients, perPatient);
            int observations = patients * perPatient;
            long start = System.nanoTime();
            node.journal().append(records);
            long appended = System.nanoTime();
            long deliveredByThen = delivered(node);
            HostilePluginIT.await(() -> delivered(node) == observations, "every observation delivered");
            long done = System.nanoTime();
            assertThat(delivered(node)).isEqualTo(observations);
            // Overall, from the first append; and the backlog left when the append returned, delivered with
            // nothing else being journalled (the plugin's own rate, ingest aside).
            System.out.printf("ISOLATED-RATE observations=%d append=%.2fs deliver-all=%.2fs overall=%.0f/s "
                    + "backlog=%d in %.2fs: %.0f deliveries/s%n", observations, (appended - start) / 1e9,
                    (done - start) / 1e9, observations / ((done - start) / 1e9), observations - deliveredByThen,
                    (done - appended) / 1e9, (observations - deliveredByThen) / ((done - appended) / 1e9));
        }
    }

    private static long delivered(Node node) {
        try {
            DeliveryStats.PluginCounters c = node.pipeline().deliveries().get(WellBehavedTwin.ID);
            return c == null ? 0 : c.delivered();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private NodeConfig writeNode() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.write(plugins.resolve(WellBehavedTwin.ID + ".jar"), WellBehavedTwin.ID, WellBehavedTwin.class);
        Files.writeString(dir.resolve("pw"), "rate-it");
        Path file = Files.writeString(dir.resolve("twinbridge.yaml"), """
                node: { id: rate-it, data-dir: ./data }
                keys: { password-file: ./pw }
                plugins:
                  dir: ./plugins
                policies:
                  allow: { well-behaved-twin: [Observation] }
                """);
        return new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(file);
    }

    /** {@code patients} patients with {@code perPatient} heart rates each, none of them the poison value. */
    private static List<CanonicalRecord> records(int patients, int perPatient) {
        List<CanonicalRecord> records = new ArrayList<>();
        for (int p = 1; p <= patients; p++) {
            Patient patient = new Patient();
            patient.setId("p" + p);
            records.add(CanonicalRecord.of("ehr", "Patient/p" + p, patient));
            for (int i = 1; i <= perPatient; i++) {
                Observation o = new Observation();
                String id = "o" + p + "-" + i;
                o.setId(id);
                o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
                o.setSubject(new Reference("Patient/p" + p));
                o.setValue(new Quantity().setValue(60 + i % 40));
                records.add(CanonicalRecord.of("ehr", "Observation/" + id, o));
            }
        }
        return records;
    }
}
