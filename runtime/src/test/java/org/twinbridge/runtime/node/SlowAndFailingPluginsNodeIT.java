package org.twinbridge.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.testing.EraseTestTwin;
import org.twinbridge.runtime.testing.FlakyTwin;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.deadletter.DeadLetterService;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * A running node with three real pf4j plugins: one that sleeps in every delivery until the test opens its gate,
 * one that throws on every record, and one that works. The working plugin gets every record while the slow one
 * is still stuck on its first and the failing one is retrying and parking: each plugin has its own cursor and its
 * own dispatch thread. The failing plugin's records all end parked, and the slow one, once released, gets every
 * record in journal order. Asserts counts and order, never durations.
 */
class SlowAndFailingPluginsNodeIT {

    private static final int RECORDS = 40;

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty(GatedTwin.GATE_PROPERTY);
        System.clearProperty(GatedTwin.LOG_PROPERTY);
        System.clearProperty(FlakyTwin.HEALED_PROPERTY);
    }

    @Test
    void slowPlugin_andFailingPlugin_neverHoldUpAWorkingOne() throws Exception {
        Path gate = dir.resolve("gate");
        Path log = dir.resolve("gated.log");
        System.setProperty(GatedTwin.GATE_PROPERTY, gate.toString());
        System.setProperty(GatedTwin.LOG_PROPERTY, log.toString());
        System.setProperty(FlakyTwin.HEALED_PROPERTY, dir.resolve("never-healed").toString());
        NodeConfig config = writeConfig();
        NodeKeys keys = NodeKeys.init(config.keys().keystore(), "slow-it-password".toCharArray(), config.node().id(), Clock.systemUTC());

        try (Node node = Node.start(config, keys, ConnectorRegistry.discover(), Clock.systemUTC())) {
            node.journal().append(records());

            await(() -> counters(node, EraseTestTwin.ID).delivered() == RECORDS, "the working plugin has them all");
            await(() -> counters(node, FlakyTwin.ID).failed() == RECORDS, "the failing plugin parked them all");
            assertThat(counters(node, GatedTwin.ID).delivered()).as("the slow plugin is still on its first record")
                    .isZero();
            assertThat(Files.exists(log)).isFalse();
            assertThat(node.deadLetters().list(DeadLetterService.Filter.open()).parked())
                    .hasSize(RECORDS).allSatisfy(p -> assertThat(p.pluginId()).isEqualTo(FlakyTwin.ID));

            Files.writeString(gate, "open");
            await(() -> counters(node, GatedTwin.ID).delivered() == RECORDS, "the slow plugin catches up");
            assertThat(Files.readAllLines(log)).as("in journal order, each once")
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, RECORDS).mapToObj(Integer::toString).toList());
            assertThat(counters(node, EraseTestTwin.ID).failed()).isZero();
        }
    }

    private NodeConfig writeConfig() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.write(plugins.resolve("gated-twin.jar"), GatedTwin.ID, GatedTwin.class);
        PluginJars.write(plugins.resolve("flaky-twin.jar"), FlakyTwin.ID, FlakyTwin.class);
        PluginJars.write(plugins.resolve("erase-twin.jar"), EraseTestTwin.ID, EraseTestTwin.class);
        Files.writeString(dir.resolve("pw"), "slow-it-password");
        Path file = dir.resolve("twinbridge.yaml");
        Files.writeString(file, """
                node: { id: slow-plugins-it, data-dir: ./data }
                keys: { password-file: ./pw }
                plugins: { dir: ./plugins, retry: { attempts: 2, initial-backoff: 10ms, max-backoff: 10ms },
                           trusted: [gated-twin, flaky-twin, erase-twin] }
                policies:
                  allow: { gated-twin: [Observation], flaky-twin: [Observation], erase-twin: [Observation] }
                  purposes: { gated-twin: TREAT, flaky-twin: TREAT, erase-twin: TREAT }
                """);
        return new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(file);
    }

    private static List<CanonicalRecord> records() {
        List<CanonicalRecord> records = new ArrayList<>();
        Patient patient = new Patient();
        patient.setId("p1");
        records.add(CanonicalRecord.of("ehr", "Patient/p1", patient));
        for (int i = 1; i <= RECORDS; i++) {
            Observation o = new Observation();
            o.setId("o" + i);
            o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
            o.setSubject(new Reference("Patient/p1"));
            o.setValue(new Quantity().setValue(i));
            records.add(CanonicalRecord.of("ehr", "Observation/o" + i, o));
        }
        return records;
    }

    private static DeliveryStats.PluginCounters counters(Node node, String plugin) {
        try {
            DeliveryStats.PluginCounters c = node.pipeline().deliveries().get(plugin);
            return c == null ? new DeliveryStats.PluginCounters(plugin, 0, 0, 0, 0, 0, java.util.Map.of()) : c;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        org.twinbridge.testkit.Await.until(what, condition::getAsBoolean);
    }
}
