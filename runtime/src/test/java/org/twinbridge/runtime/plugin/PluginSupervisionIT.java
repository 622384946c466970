package org.twinbridge.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.deadletter.DeadLetterService;
import org.twinbridge.runtime.deadletter.DeliveryFailure;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.plugin.process.IsolatedTwinModel;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.testplugins.misbehaving.CrashingTwin;
import org.twinbridge.testplugins.misbehaving.GarblingTwin;
import org.twinbridge.testplugins.misbehaving.HangingTwin;
import org.twinbridge.testplugins.misbehaving.HoggingTwin;
import org.twinbridge.testplugins.misbehaving.PoisonableTwin;
import org.twinbridge.testplugins.misbehaving.WellBehavedTwin;

/**
 * Supervision of plugin processes: four plugins misbehave on one poison record (one halts its JVM, one spins
 * forever, one eats its heap, one writes garbage into the protocol) next to a well-behaved one. Each misbehaving process is killed, its delivery
 * retried and then parked with the failure's kind, its process restarted, and it goes on to the next record;
 * the well-behaved plugin gets everything. Waits on progress; asserts counts and kinds, never durations.
 */
class PluginSupervisionIT {

    @TempDir
    Path dir;

    @Test
    void crashingHangingAndHoggingPlugins_areKilledParkedAndRestarted_whileOthersGoOn() throws Exception {
        NodeConfig config = writeNode();
        NodeKeys keys = NodeKeys.init(config.keys().keystore(), "supervision-it".toCharArray(), config.node().id(), Clock.systemUTC());
        try (Node node = Node.start(config, keys, ConnectorRegistry.discover(), Clock.systemUTC())) {
            assertThat(node.refusedPlugins()).isEmpty();
            node.journal().append(records());

            HostilePluginIT.await(() -> counters(node, WellBehavedTwin.ID).delivered() == 3, "the good plugin");
            for (String id : List.of(CrashingTwin.ID, HangingTwin.ID, HoggingTwin.ID, GarblingTwin.ID)) {
                HostilePluginIT.await(() -> counters(node, id).delivered() == 2 && counters(node, id).failed() == 1,
                        id + " parks the poison record and gets the others");
            }
            Map<String, DeliveryFailure.Kind> parked = new java.util.TreeMap<>();
            node.deadLetters().list(DeadLetterService.Filter.open()).parked()
                    .forEach(p -> parked.put(p.pluginId(), p.failure().kind()));
            assertThat(parked).containsExactlyInAnyOrderEntriesOf(Map.of(
                    CrashingTwin.ID, DeliveryFailure.Kind.PROCESS_CRASHED,
                    HangingTwin.ID, DeliveryFailure.Kind.PROCESS_TIMEOUT,
                    HoggingTwin.ID, DeliveryFailure.Kind.PROCESS_OUT_OF_MEMORY,
                    GarblingTwin.ID, DeliveryFailure.Kind.PROTOCOL_VIOLATION));
            assertThat(counters(node, WellBehavedTwin.ID).failed()).isZero();
            Map<String, IsolatedTwinModel.ProcessHealth> health = new java.util.TreeMap<>();
            node.observability().pluginProcessHealth().forEach(h -> health.put(h.pluginId(), h));
            for (String id : List.of(CrashingTwin.ID, HangingTwin.ID, HoggingTwin.ID, GarblingTwin.ID)) {
                assertThat(health.get(id).restarts()).as(id + " restarts").isGreaterThanOrEqualTo(2);
                assertThat(health.get(id).sandboxed()).isTrue();
            }
            assertThat(health.get(WellBehavedTwin.ID).restarts()).isZero();
            assertThat(node.observability().metrics().scrape())
                    .contains("twinbridge_plugin_process_restarts{plugin=\"crashing-twin\"")
                    .contains("twinbridge_plugin_process_resident_bytes{plugin=\"well-behaved-twin\"");
        }
    }

    private NodeConfig writeNode() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        for (Class<?> twin : List.of(CrashingTwin.class, HangingTwin.class, HoggingTwin.class, GarblingTwin.class,
                WellBehavedTwin.class)) {
            String id = (String) twin.getField("ID").get(null);
            PluginJars.write(plugins.resolve(id + ".jar"), id, twin);
        }
        Files.writeString(dir.resolve("pw"), "supervision-it");
        Path file = Files.writeString(dir.resolve("twinbridge.yaml"), """
                node: { id: supervision-it, data-dir: ./data }
                keys: { password-file: ./pw }
                plugins:
                  dir: ./plugins
                  retry: { attempts: 2, initial-backoff: 10ms, max-backoff: 10ms }
                  process: { heap-mb: 64, batch-timeout: 20s }
                policies:
                  allow: { crashing-twin: [Observation], hanging-twin: [Observation], hogging-twin: [Observation],
                           garbling-twin: [Observation], well-behaved-twin: [Observation] }
                """);
        return new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(file);
    }

    private static List<CanonicalRecord> records() {
        List<CanonicalRecord> records = new ArrayList<>();
        Patient patient = new Patient();
        patient.setId("p1");
        records.add(CanonicalRecord.of("ehr", "Patient/p1", patient));
        int[] values = {72, PoisonableTwin.POISON, 75};
        for (int i = 0; i < values.length; i++) {
            Observation o = new Observation();
            o.setId("o" + (i + 1));
            o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
            o.setSubject(new Reference("Patient/p1"));
            o.setValue(new Quantity().setValue(values[i]));
            records.add(CanonicalRecord.of("ehr", "Observation/o" + (i + 1), o));
        }
        return records;
    }

    private static DeliveryStats.PluginCounters counters(Node node, String plugin) {
        try {
            DeliveryStats.PluginCounters c = node.pipeline().deliveries().get(plugin);
            return c == null ? new DeliveryStats.PluginCounters(plugin, 0, 0, 0, 0, 0, Map.of()) : c;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
