package org.twinbridge.tools.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twinbridge.runtime.audit.JdbcAuditLog;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.dispatch.OutputTable;
import org.twinbridge.runtime.journal.JournalCounts;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.plugin.PluginIsolationMode;
import org.twinbridge.runtime.assembly.NodeAssembly;
import org.twinbridge.runtime.storage.Database;

/**
 * The whole demo: an embedded EHR, a node configured like a real one, a live progress line while records
 * flow, and a final report built from what the node committed.
 */
public final class DemoRun {

    /** What the demo did, for the report and for tests. */
    public record Result(Map<String, JournalCounts.ConnectorCounts> ingested,
            Map<String, DeliveryStats.PluginCounters> deliveries, List<OutputTable.StoredOutput> sampleOutputs,
            Map<String, String> sampleDeliveries, List<String> refusedPlugins, boolean caughtUp, Path dataDir,
            boolean temporary) {
    }

    private final PrintStream out;

    public DemoRun(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs until every seeded record is ingested and every plugin has caught up, or {@code maxRun} passes.
     *
     * @param dataDir   the node's directory; created if missing
     * @param temporary whether the caller deletes it afterwards (the report says so)
     */
    public Result run(Path dataDir, boolean temporary, int patients, Duration maxRun) throws Exception {
        out.println("TwinBridge demo: starting an embedded FHIR R4 EHR with " + patients
                + " synthetic patient(s) (Synthea, Apache-2.0) ...");
        try (DemoWorld world = DemoWorld.start(patients)) {
            Instant now = Instant.now();
            WardSimulator ward = new WardSimulator(world.store(), now);
            List<org.hl7.fhir.r4.model.Patient> ehrPatients = world.store()
                    .search(org.hl7.fhir.r4.model.Patient.class, p -> true);
            Map<String, String> wearables = new java.util.LinkedHashMap<>();
            List<String> deviceIds = WearableSimulator.deviceIds(ehrPatients.size());
            for (int i = 0; i < deviceIds.size(); i++) {
                wearables.put(deviceIds.get(i), "Patient/" + ehrPatients.get(i).getIdElement().getIdPart());
            }
            if (!ehrPatients.isEmpty()) { // the first patient also has a pacemaker, with a remote-monitoring hub
                wearables.put(ImplantSimulator.DEVICE, "Patient/" + ehrPatients.get(0).getIdElement().getIdPart());
            }
            int labPort = DemoNode.freePort();
            Path configFile = DemoNode.prepare(dataDir, world.ehrBaseUrl(), labPort, world.brokerUrl(), wearables);
            int dropped = DropFolder.write(dataDir.resolve("inbox"), ehrPatients, now);
            try (WearableSimulator wearable = WearableSimulator.connect(world.brokerUrl(), deviceIds, now)) {
                // EHR resources + ward rounds + wearable readings + one Device record per configured binding + drops
                long expected = world.seededOf(DemoNode.RESOURCES) + ward.total() + wearable.total()
                        + wearables.size() + dropped + (ehrPatients.isEmpty() ? 0 : ImplantSimulator.total());
                out.printf("EHR ready at %s: %d resources, %d of them of the types the connector pulls;%n"
                        + "a simulated ward will chart %d rounds of vital signs while the node runs;%n"
                        + "%d wearable(s) publish heart rate and SpO2 to the MQTT broker at %s;%n"
                        + "%d FHIR files wait in the drop folder (home vital signs, 12 hours of CGM glucose readings and%n"
                        + "four tumour-size assessments).%n",
                        world.ehrBaseUrl(), world.seeded().loaded(), world.seededOf(DemoNode.RESOURCES),
                        WardSimulator.ROUNDS, deviceIds.size(), world.brokerUrl(), DropFolder.FILES);
                return runNode(configFile, labPort, ward, wearable, expected, maxRun, dataDir, temporary,
                        ehrPatients.isEmpty() ? null : world.brokerUrl());
            }
        }
    }

    private Result runNode(Path configFile, int labPort, WardSimulator ward, WearableSimulator wearable,
            long expected, Duration maxRun, Path dataDir, boolean temporary, String implantBroker) throws Exception {
        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig config = new ConfigLoader(registry.settingKeys()).load(configFile);
        NodeKeys keys = openOrCreateKeys(config);
        out.println("Node config: " + configFile);
        Result result;
        try (Node node = Node.start(config, keys, registry, Clock.systemUTC())) {
            node.refusedPlugins().forEach(reason -> out.println("  ! " + reason));
            out.println("Plugins (signature checked against the demo trust store): " + node.subscribers().stream()
                    .map(s -> s.id() + " " + s.manifest().version() + " (purpose " + s.purpose() + ")").toList());
            node.subscribers().stream().map(s -> s.id()).findFirst().ifPresent(first -> out.println("Each plugin "
                    + "runs in: " + PluginIsolationMode.describe(config.plugins().isolation(), first)));
            // The lab's messages are acknowledged AA only once journalled, so what the lab connector holds when
            // the feed returns is everything the lab will add.
            DemoLabFeed.Outcome lab = DemoLabFeed.replay(labPort);
            long labRecords = Optional.ofNullable(node.pipeline().journalled().get("lab"))
                    .map(JournalCounts.ConnectorCounts::records).orElse(0L);
            out.printf("Lab: replayed %s; %d record(s) journalled from them.%n", lab, labRecords);
            if (!lab.allAccepted()) {
                out.println("  ! not every lab message was accepted; the node's log says why (TB-HL7-nnn)");
            }
            if (implantBroker != null) {
                ImplantSimulator.publishAll(implantBroker, Instant.now());
                out.printf("Implant: a pacemaker's hub published %d weekly readings (a year: battery, RV lead, "
                        + "pacing) over MQTT.%n", ImplantSimulator.total());
            }
            boolean caughtUp = watch(node, ward, wearable, expected + labRecords, maxRun);
            out.println("Connector health (as the admin API's /health and /metrics report it):");
            node.connectors().connectors().forEach(c -> out.println("  " + c.summary()));
            result = new Result(node.pipeline().journalled(), node.pipeline().deliveries(),
                    sampleOutputs(node), sampleDeliveries(node), node.refusedPlugins(), caughtUp, dataDir,
                    temporary);
            DemoReport.print(out, result);
        }
        out.println(auditSummary(config, keys));
        return result;
    }

    /**
     * The newest output of each kind and code for each subject (a glucose forecast and the glucose metrics are
     * both Observations), so the report shows every twin and every kind of output, not just the busiest.
     */
    private static List<OutputTable.StoredOutput> latestPerSubject(List<OutputTable.StoredOutput> outputs) {
        Map<String, OutputTable.StoredOutput> newest = new java.util.LinkedHashMap<>();
        outputs.forEach(o -> newest.put(o.subject() + "|" + o.kind() + "|" + codeOf(o.resource()), o));
        return newest.values().stream().filter(o -> !o.kind().equals("RISK_ASSESSMENT"))
                .sorted(java.util.Comparator.comparing(OutputTable.StoredOutput::subject)
                        .thenComparing(OutputTable.StoredOutput::kind).reversed())
                .toList();
    }

    private static String codeOf(org.hl7.fhir.r4.model.Resource resource) {
        var code = resource.getNamedProperty("code");
        if (code == null || !code.hasValues() || !(code.getValues().get(0)
                instanceof org.hl7.fhir.r4.model.CodeableConcept concept)) {
            return "";
        }
        return concept.hasCoding() ? concept.getCodingFirstRep().getCode() : concept.getText();
    }

    /** Verifies the audit trail the node left behind (the node signed a checkpoint as it stopped). */
    private static String auditSummary(NodeConfig config, NodeKeys keys) throws Exception {
        try (Database db = NodeAssembly.openDatabase(config.storage())) {
            JdbcAuditLog.Verification v = db.inTransaction(c -> JdbcAuditLog.verify(c, keys.auditVerifier(),
                    config.node().id()));
            return "Audit trail: " + v.chain().entries() + " hash-chained entries, " + v.chain().checkpointsVerified()
                    + " Ed25519-signed checkpoint(s), " + (v.intact() ? "verified intact" : "BROKEN")
                    + " (check it yourself: twinbridge audit verify -c <data-dir>/twinbridge.yaml).";
        }
    }

    private static NodeKeys openOrCreateKeys(NodeConfig config) throws Exception {
        char[] password = config.keys().password().reveal();
        try {
            return Files.exists(config.keys().keystore())
                    ? NodeKeys.load(config.keys().keystore(), password)
                    : NodeKeys.init(config.keys().keystore(), password, config.node().id(), Clock.systemUTC());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private boolean watch(Node node, WardSimulator ward, WearableSimulator wearable, long expected,
            Duration maxRun) throws Exception {
        Instant deadline = Instant.now().plus(maxRun);
        Instant started = Instant.now();
        while (true) {
            Thread.sleep(1000);
            ward.chartNextRound();
            wearable.publishNextRound();
            long journalled = node.pipeline().journalled().values().stream()
                    .mapToLong(JournalCounts.ConnectorCounts::records).sum();
            Map<String, DeliveryStats.PluginCounters> deliveries = node.pipeline().deliveries();
            long head = node.pipeline().journalHead();
            boolean pluginsCaughtUp = deliveries.size() == node.subscribers().size()
                    && deliveries.values().stream().allMatch(p -> p.position() >= head);
            out.println(DemoReport.progressLine(Duration.between(started, Instant.now()), journalled, expected,
                    deliveries));
            if (ward.finished() && wearable.finished() && journalled >= expected && pluginsCaughtUp) {
                return true;
            }
            if (Instant.now().isAfter(deadline)) {
                out.println("Time limit reached before the pipeline caught up; reporting what was done so far.");
                return false;
            }
        }
    }

    /** Per plugin, the last record it received, exactly as it received it (re-projected, not stored). */
    private static Map<String, String> sampleDeliveries(Node node) throws Exception {
        Map<String, String> samples = new java.util.LinkedHashMap<>();
        for (var subscriber : node.subscribers()) {
            var seq = node.pipeline().lastDelivered(subscriber.id());
            if (seq.isPresent()) {
                node.dispatcher().preview(subscriber, seq.get()).ifPresent(record -> samples.put(subscriber.id(),
                        ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true)
                                .encodeResourceToString(record.resource())));
            }
        }
        return samples;
    }

    private static List<OutputTable.StoredOutput> sampleOutputs(Node node) throws Exception {
        OutputTable outputs = node.outputs();
        return node.subscribers().stream().flatMap(s -> {
            try {
                return latestPerSubject(outputs.latest(s.id(), 500)).stream();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("TB-DEMO-002 cannot read outputs of " + s.id(), e);
            }
        }).toList();
    }
}
