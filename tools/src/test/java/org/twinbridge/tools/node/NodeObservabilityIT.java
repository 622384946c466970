package org.twinbridge.tools.node;

import org.twinbridge.runtime.node.NodeTestAccess;
import org.twinbridge.runtime.observe.ConnectorState;
import org.twinbridge.runtime.observe.NodeHealth;
import org.twinbridge.runtime.observe.ConnectorHealth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.twinbridge.testkit.Await;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.embedded.fhir.EmbeddedFhirServer;
import org.twinbridge.embedded.mqtt.EmbeddedMqttBroker;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.tools.demo.MllpSender;
import org.twinbridge.runtime.journal.JournalCounts;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.testplugins.RecorderTwin;

/**
 * A whole node with all four connectors on their real protocols (the embedded FHIR server over HTTP, MLLP over a
 * socket, MQTT through the embedded broker, a drop folder) and a pf4j plugin: what each ingests shows in its
 * health and in the Prometheus scrape text, pausing a connector stops its intake without losing anything, and
 * neither the scrape text nor the health carries any of the patient data planted in the sources.
 */
class NodeObservabilityIT {

    private static final String MRN_SYSTEM = "http://hospital.example.org/mrn";
    /** Planted in every source; none may appear in metrics or health. */
    private static final List<String> CANARIES = List.of("Zyxcanaryfhir", "CANARY-FHIR-ID-4711", "Zyxcanaryhl7",
            "CANARY-MRN-9931", "canary-device-7733", "Zyxcanarymqtt", "Zyxcanaryfile", "zyxcanaryfilename",
            "Zyxcanarybad", "CANARY-CTRL-5150");

    @TempDir
    Path dir;
    private EmbeddedFhirServer ehr;
    private EmbeddedMqttBroker broker;
    private Node node;
    private int labPort;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (ehr != null) {
            ehr.close();
        }
    }

    private Node start() throws Exception {
        ehr = EmbeddedFhirServer.start(0);
        broker = EmbeddedMqttBroker.start(0);
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            labPort = socket.getLocalPort();
        }
        TestNode.copyKeystore(dir.resolve("keys.p12"));
        Files.writeString(dir.resolve("keystore-password"), new String(TestNode.password()));
        Files.createDirectories(dir.resolve("inbox"));
        PluginJars.write(dir.resolve("plugins/recorder-twin.jar"), RecorderTwin.ID, RecorderTwin.class);
        Path config = Files.writeString(dir.resolve("twinbridge.yaml"), """
                node:    { id: obs-node, data-dir: . }
                keys:    { keystore: ./keys.p12, password-file: ./keystore-password }
                connectors:
                  - { id: ehr, type: fhir, base-url: "%s", poll: 300ms, resources: [Patient, Observation] }
                  - { id: lab, type: hl7v2, listen: "127.0.0.1:%d", assigning-authorities: { HOSP: "%s" } }
                  - { id: wards, type: mqtt, broker: "%s", topics: ["devices/+/vitals"], format: openmhealth }
                  - { id: drop, type: file, dir: ./inbox, poll: 200ms, settle-time: 100ms }
                plugins: { dir: ./plugins, require-signed: false }
                policies:
                  purposes: { recorder-twin: TREAT }
                  allow: { recorder-twin: [Observation] }
                """.formatted(ehr.baseUrl(), labPort, MRN_SYSTEM, broker.url()));
        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig nodeConfig = new ConfigLoader(registry.settingKeys()).load(config);
        NodeKeys keys = NodeKeys.load(nodeConfig.keys().keystore(), nodeConfig.keys().password().reveal());
        node = Node.start(nodeConfig, keys, registry, Clock.systemUTC());
        return node;
    }

    @Test
    void everyConnector_countsWhatItIngested_inHealthAndScrape_andNoPlantedDataLeaks() throws Exception {
        start();
        await(() -> node.health().ready(), "the node is ready");
        // FHIR: a patient and an observation on the EHR.
        saveEhrPatientAndObservation("p-canary");
        // HL7 v2: one accepted result, one message of an unsupported type (AR).
        assertThat(MllpSender.ackCode(sendLab(oru("CANARY-CTRL-5150", "CANARY-MRN-9931")))).isEqualTo("AA");
        assertThat(MllpSender.ackCode(sendLab(unsupported("CTRL-2")))).isEqualTo("AR");
        // MQTT: two readings from an unbound device (held), one payload that is not Open mHealth (dead letter).
        long primed;
        try (Publisher wearable = new Publisher(broker.url())) {
            primed = primeWards(wearable);
            wearable.publish("devices/canary-device-7733/vitals", heartRate(Instant.now().minusSeconds(2)));
            wearable.publish("devices/canary-device-7733/vitals", heartRate(Instant.now().minusSeconds(1)));
            wearable.publish("devices/canary-device-7733/vitals", "{\"patient\":\"Zyxcanarymqtt\"}");
        }
        // File drop: a patient resource, and a file that is not JSON.
        drop("patient-zyxcanaryfilename.json", patientJson("file-1", "Zyxcanaryfile"));
        drop("broken-zyxcanaryfilename.json", "Zyxcanarybad is not JSON");

        await(() -> health("ehr").journalled() >= 2 && health("lab").failed() >= 1
                && health("wards").received() >= primed + 3
                && health("wards").failed() >= 1 && health("drop").failed() >= 1 && health("drop").journalled() >= 1,
                "every connector's intake is counted");
        await(() -> node.subscribers().size() == 1
                && value(scrape(), "twinbridge_plugin_cursor_lag_records", "plugin=\"" + RecorderTwin.ID + "\"") == 0
                && value(scrape(), "twinbridge_plugin_records_delivered_total", "plugin=\"" + RecorderTwin.ID + "\"")
                        >= 1, "the plugin caught up");
        String scrape = scrape();

        assertThat(value(scrape, "twinbridge_connector_records_received_total", "connector=\"ehr\""))
                .as("each poll re-reads the resources at its watermark; the journal ignores them")
                .isGreaterThanOrEqualTo(2);
        assertThat(value(scrape, "twinbridge_connector_records_journalled_total", "connector=\"ehr\"")).isEqualTo(2);
        assertThat(value(scrape, "twinbridge_connector_records_received_total", "connector=\"lab\"")).isEqualTo(2);
        assertThat(value(scrape, "twinbridge_connector_records_journalled_total", "connector=\"lab\""))
                .as("Patient, Observation and DiagnosticReport of the accepted result").isEqualTo(3);
        assertThat(value(scrape, "twinbridge_connector_records_failed_total", "connector=\"lab\"")).isEqualTo(1);
        assertThat(value(scrape, "twinbridge_connector_records_received_total", "connector=\"wards\""))
                .isEqualTo(primed + 3);
        assertThat(value(scrape, "twinbridge_connector_records_journalled_total", "connector=\"wards\""))
                .as("every reading, held for its unbound device").isEqualTo(primed + 2);
        assertThat(value(scrape, "twinbridge_connector_records_failed_total", "connector=\"wards\"")).isEqualTo(1);
        assertThat(value(scrape, "twinbridge_connector_records_received_total", "connector=\"drop\"")).isEqualTo(2);
        assertThat(value(scrape, "twinbridge_connector_records_journalled_total", "connector=\"drop\"")).isEqualTo(1);
        assertThat(value(scrape, "twinbridge_connector_records_failed_total", "connector=\"drop\"")).isEqualTo(1);
        for (String connector : List.of("ehr", "lab", "wards", "drop")) {
            assertThat(value(scrape, "twinbridge_connector_lag_seconds", "connector=\"" + connector + "\""))
                    .as("lag of " + connector).isNotNaN().isGreaterThanOrEqualTo(0);
        }
        assertThat(value(scrape, "twinbridge_connector_lag_seconds", "connector=\"wards\""))
                .as("the newest reading was taken a second before it was published").isGreaterThanOrEqualTo(1);
        assertThat(scrape).contains("twinbridge_connector_records_received_total{connector=\"lab\",type=\"hl7v2\"}");
        assertThat(value(scrape, "twinbridge_plugin_records_denied_total", "plugin=\"" + RecorderTwin.ID + "\""))
                .as("Patient records are not on its allow-list").isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "twinbridge_node_ready", "")).isEqualTo(1);

        assertThat(health("lab").lastErrorKind()).as("the AR's code, not its text").isEqualTo("TB-HL7-011");
        assertThat(health("wards").lastErrorKind()).startsWith("TB-");
        assertThat(health("drop").lastErrorKind()).as("not JSON").isEqualTo("TB-PAYLOAD-001");
        assertThat(health("lab").state()).as("a rejected message is the sender's problem").isEqualTo(
                ConnectorState.DEGRADED);
        assertThat(health("ehr").state()).isEqualTo(ConnectorState.UP);
        assertThat(value(scrape, "twinbridge_connector_state", "connector=\"ehr\"", "state=\"UP\"")).isEqualTo(1);
        assertThat(value(scrape, "twinbridge_connector_state", "connector=\"lab\"", "state=\"UP\"")).isEqualTo(0);
        NodeHealth health = node.health();
        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isTrue();
        assertThat(health.databaseReachable()).isTrue();
        assertThat(health.keysLoaded()).isTrue();
        assertThat(health.status()).isEqualTo("DEGRADED");

        String healthJson = new ObjectMapper().findAndRegisterModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(health);
        for (String canary : CANARIES) {
            assertThat(scrape).as("scrape text").doesNotContainIgnoringCase(canary);
            assertThat(healthJson).as("health as JSON").doesNotContainIgnoringCase(canary);
            assertThat(health.toString()).as("health as text").doesNotContainIgnoringCase(canary);
        }
    }

    @Test
    void pausedHl7Connector_acceptsAndAcknowledgesNothing_andAcksAfterResume() throws Exception {
        start();
        await(() -> node.health().ready(), "the node is ready");

        assertThat(node.connectors().pause("lab", "test-admin")).map(ConnectorHealth::state).contains(ConnectorState.PAUSED);

        assertThatThrownBy(() -> sendLab(oru("PAUSED-1", "MRN-P1"))).as("no listener while paused")
                .isInstanceOf(IOException.class);
        assertThat(health("lab").received()).isZero();
        assertThat(labRecords()).isZero();
        assertThat(node.health().connectorsStarted()).as("a paused connector counts as started").isTrue();
        assertThat(value(scrape(), "twinbridge_connector_state", "connector=\"lab\"", "state=\"PAUSED\""))
                .isEqualTo(1);

        node.connectors().resume("lab", "test-admin");

        assertThat(MllpSender.ackCode(sendLab(oru("PAUSED-1", "MRN-P1")))).isEqualTo("AA");
        assertThat(labRecords()).isEqualTo(3);
        assertThat(health("lab").state()).isEqualTo(ConnectorState.UP);
        assertThat(auditedControls()).containsExactly("connector.pause", "connector.resume");
    }

    @Test
    void pausedMqttConnector_leavesMessagesWithTheBroker_andJournalsEveryOneAfterResume() throws Exception {
        start();
        await(() -> node.health().ready(), "the node is ready");
        try (Publisher wearable = new Publisher(broker.url())) {
            long primed = primeWards(wearable);

            node.connectors().pause("wards", "test-admin");
            for (int i = 0; i < 20; i++) {
                wearable.publish("devices/w-1/vitals", heartRate(Instant.now().minusSeconds(60 - i)));
            }
            Thread.sleep(1500); // long enough for a running consumer to have taken some of them
            assertThat(health("wards").received()).as("nothing reaches a paused connector").isEqualTo(primed);
            assertThat(heldReadings()).isEqualTo(primed);

            node.connectors().resume("wards", "test-admin");

            await(() -> heldReadings() == primed + 20, "all 20 queued readings are journalled after resume");
            assertThat(health("wards").journalled()).isEqualTo(primed + 20);
            assertThat(health("wards").received()).as("each delivered once").isEqualTo(primed + 20);
            assertThat(health("wards").state()).isEqualTo(ConnectorState.UP);
        }
    }

    @Test
    void pausedFhirAndFileConnectors_neitherPollNorPickUp_untilResumed() throws Exception {
        start();
        await(() -> node.health().ready(), "the node is ready");
        saveEhrPatientAndObservation("p-1");
        await(() -> health("ehr").journalled() == 2, "the EHR's first records are journalled");

        node.connectors().pause("ehr", "test-admin");
        node.connectors().pause("drop", "test-admin");
        saveEhrPatientAndObservation("p-2");
        drop("late.json", patientJson("file-2", "Late"));
        Thread.sleep(1500); // several poll periods of both connectors
        assertThat(health("ehr").journalled()).as("no poll while paused").isEqualTo(2);
        assertThat(Files.exists(dir.resolve("inbox/late.json"))).as("the file is left alone").isTrue();
        assertThat(health("drop").received()).isZero();

        node.connectors().resume("ehr", "test-admin");
        node.connectors().resume("drop", "test-admin");

        await(() -> health("ehr").journalled() == 4 && health("drop").journalled() == 1, "both resumed their intake");
        await(() -> Files.exists(dir.resolve("inbox/done/late.json")), "the file is moved to done/ after its commit");
    }

    @Test
    void unknownConnector_isEmpty_forHealthPauseAndResume() throws Exception {
        start();

        assertThat(node.connector("nope")).isEmpty();
        assertThat(node.connectors().pause("nope", "test-admin")).isEmpty();
        assertThat(node.connectors().resume("nope", "test-admin")).isEmpty();
        assertThat(node.connectors().connectors()).extracting(ConnectorHealth::connectorId)
                .containsExactly("ehr", "lab", "wards", "drop");
        assertThat(node.connectors().connectors()).extracting(ConnectorHealth::type)
                .containsExactly("fhir", "hl7v2", "mqtt", "file");
    }

    /**
     * Publishes readings until one is journalled, so the connector's subscription exists (a message published
     * before it is not kept for it), then waits out any straggler. Returns how many readings it has received.
     */
    private long primeWards(Publisher wearable) throws Exception {
        Instant deadline = Instant.now().plus(Await.stall()); // a safety net: the broker answers within seconds
        while (health("wards").journalled() == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the MQTT connector never subscribed");
            }
            wearable.publish("devices/w-prime/vitals", heartRate(Instant.now()));
            Thread.sleep(300);
        }
        Thread.sleep(1000);
        return health("wards").received();
    }

    private ConnectorHealth health(String connector) {
        return node.connector(connector).orElseThrow();
    }

    private String scrape() {
        return node.metrics().scrape();
    }

    /** The value of the one sample of {@code name} whose labels include every given {@code key="value"}. */
    static double value(String scrape, String name, String... labels) {
        List<String> lines = scrape.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> {
                    String labelPart = l.substring(0, l.lastIndexOf(' '));
                    for (String label : labels) {
                        if (!labelPart.contains(label)) {
                            return false;
                        }
                    }
                    return true;
                }).toList();
        assertThat(lines).as(name + " " + String.join(",", labels) + " in\n" + scrape).hasSize(1);
        return Double.parseDouble(lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1));
    }

    private void saveEhrPatientAndObservation(String id) {
        Patient patient = new Patient();
        patient.setId(id);
        patient.addName().setFamily("Zyxcanaryfhir").addGiven("Quentin");
        patient.addIdentifier().setSystem(MRN_SYSTEM).setValue("CANARY-FHIR-ID-4711");
        ehr.store().save(patient);
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4").setDisplay("Heart rate");
        obs.setSubject(new Reference("Patient/" + id));
        obs.setEffective(new org.hl7.fhir.r4.model.DateTimeType(java.util.Date.from(Instant.now())));
        ehr.store().save(obs);
    }

    private String sendLab(String message) throws IOException {
        try (MllpSender lab = MllpSender.connect("127.0.0.1", labPort, Await.stall())) {
            return lab.send(message);
        }
    }

    private static String oru(String controlId, String mrn) {
        return String.join("\r",
                "MSH|^~\\&|LABAPP|LABFAC|TB|NODE|" + hl7Now() + "||ORU^R01^ORU_R01|" + controlId + "|P|2.5.1",
                "PID|1||" + mrn + "^^^HOSP^MR||Zyxcanaryhl7^Jane||19700101|F",
                "OBR|1||F-" + controlId + "|24331-1^Lipid panel^LN|||20240305070000+0100",
                "OBX|1|NM|2093-3^Cholesterol^LN||250|mg/dL^^UCUM|<200|H|||F", "");
    }

    private static String unsupported(String controlId) {
        return String.join("\r",
                "MSH|^~\\&|LABAPP|LABFAC|TB|NODE|" + hl7Now() + "||MFN^M02^MFN_M02|" + controlId + "|P|2.5.1",
                "PID|1||CANARY-MRN-9931^^^HOSP^MR||Zyxcanaryhl7^Jane||19700101|F", "");
    }

    private static String hl7Now() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ")
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
    }

    private static String heartRate(Instant at) {
        return """
                {"header":{"id":"%s","creation_date_time":"%s",
                  "schema_id":{"namespace":"omh","name":"heart-rate","version":"2.0"}},
                 "body":{"heart_rate":{"value":72,"unit":"beats/min"},"effective_time_frame":{"date_time":"%s"}}}
                """.formatted(java.util.UUID.randomUUID(), at, at);
    }

    private static String patientJson(String id, String family) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"" + family + "\"}]}";
    }

    private void drop(String name, String content) throws IOException {
        // Written beside the folder and moved in, as a well-behaved sender does.
        Path tmp = Files.writeString(dir.resolve(name + ".part"), content, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("inbox").resolve(name));
    }

    private long labRecords() throws Exception {
        JournalCounts.ConnectorCounts lab = node.pipeline().journalled().get("lab");
        return lab == null ? 0 : lab.records();
    }

    private long heldReadings() throws Exception {
        JournalCounts.ConnectorCounts wards = node.pipeline().journalled().get("wards");
        return wards == null ? 0 : wards.held() + wards.records();
    }

    private List<String> auditedControls() throws Exception {
        return NodeTestAccess.database(node).inTransaction(c -> {
            List<String> kinds = new java.util.ArrayList<>();
            try (var ps = c.prepareStatement("SELECT kind FROM audit_event WHERE kind LIKE 'connector.%' ORDER BY seq");
                    var rs = ps.executeQuery()) {
                while (rs.next()) {
                    kinds.add(rs.getString(1));
                }
            }
            return kinds;
        });
    }

    /**
     * Waits while the node makes progress: every connector's counters and every plugin's deliveries. A busy
     * machine slows the node down but does not fail the test; a node that stops advancing does.
     */
    private void await(Callable<Boolean> condition, String what) {
        Await.until(what, condition::call, this::progress);
    }

    private Object progress() {
        if (node == null) {
            return List.of();
        }
        List<Object> counters = new java.util.ArrayList<>();
        for (ConnectorHealth connector : node.connectors().connectors()) {
            counters.add(connector.connectorId() + ":" + connector.received() + "/" + connector.journalled() + "/"
                    + connector.failed());
        }
        String scrape = scrape();
        counters.add(scrape.lines().filter(l -> l.startsWith("twinbridge_plugin_records_delivered_total")
                || l.startsWith("twinbridge_plugin_cursor_lag_records")).toList());
        return counters;
    }

    /** A device gateway publishing at QoS 1; each publish returns after the broker's ack. */
    private static final class Publisher implements AutoCloseable {
        private final MqttClient client;

        Publisher(String url) throws Exception {
            client = new MqttClient(url, "obs-test-publisher-" + System.nanoTime(), new MemoryPersistence());
            client.connect();
        }

        void publish(String topic, String payload) throws Exception {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        }

        @Override
        public void close() throws org.eclipse.paho.client.mqttv3.MqttException {
            client.disconnect();
            client.close();
        }
    }
}
