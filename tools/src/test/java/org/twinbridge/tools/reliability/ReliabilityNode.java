package org.twinbridge.tools.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.tools.load.LabFeed;
import org.twinbridge.tools.load.Reconciliation;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.testplugins.CountingTwin;
import org.twinbridge.testplugins.RestrictedCountingTwin;

/**
 * The node directory the reliability tests run: lab (MLLP), wards (MQTT, two wearables bound to EHR patients)
 * and ehr (FHIR polling) connectors; two counting plugins signed by a test vendor; a policy that lets
 * {@code counting-twin} see every Observation and DiagnosticReport and {@code restricted-twin} heart-rate
 * Observations only.
 */
final class ReliabilityNode {

    static final String NODE_ID = "reliability-node";
    final Path dir;
    final Path config;
    final int labPort;
    final String run;
    final String topicPrefix;
    final String mqttClientId;

    private ReliabilityNode(Path dir, Path config, int labPort, String run, String topicPrefix, String clientId) {
        this.dir = dir;
        this.config = config;
        this.labPort = labPort;
        this.run = run;
        this.topicPrefix = topicPrefix;
        this.mqttClientId = clientId;
    }

    /**
     * Writes the directory and creates the keystore.
     *
     * @param storage    the storage section's body, e.g. {@code url: "jdbc:sqlite:./db/twinbridge.db"}
     * @param wearables  device id to the EHR's patient id it is bound to
     */
    static ReliabilityNode prepare(Path dir, String storage, String ehrBaseUrl, String brokerUrl,
            Map<String, String> wearables) throws Exception {
        String run = "r" + UUID.randomUUID().toString().substring(0, 8);
        int labPort = freePort();
        String topicPrefix = "tb-" + run + "/";
        String clientId = "tb-" + run + "-node";
        Files.createDirectories(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("keystore-password"), "reliability-" + run);
        VendorKey vendor = PluginJars.vendor("Reliability test vendor");
        vendor.writeCertificate(dir.resolve("trust/test-vendor.pem"));
        vendor.sign(PluginJars.write(dir.resolve("plugins/counting-twin.jar"), CountingTwin.ID, CountingTwin.class));
        vendor.sign(PluginJars.write(dir.resolve("plugins/restricted-twin.jar"), RestrictedCountingTwin.ID,
                RestrictedCountingTwin.class));
        Files.writeString(dir.resolve("policies/policy.yaml"), """
                policy-set:
                  id: reliability
                  description: Everything clinical for the counting twin; heart rates only for the restricted one.
                rules:
                  - id: counting-everything
                    effect: permit
                    recipients: [counting-twin]
                    purposes: [TREAT]
                    resource-types: [Observation, DiagnosticReport]
                    project:
                      Observation: [status, code, subject]
                      DiagnosticReport: [status, code, subject]
                  - id: restricted-heart-rate
                    effect: permit
                    recipients: [restricted-twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    condition: "Observation.code.coding.where(system = 'http://loinc.org' and code = '8867-4').exists()"
                    project:
                      Observation: [status, code, subject]
                """);
        String devices = wearables.entrySet().stream().map(e -> "\"" + e.getKey() + "\": \"Patient/" + e.getValue()
                + "\"").collect(java.util.stream.Collectors.joining(", "));
        Path config = Files.writeString(dir.resolve("twinbridge.yaml"), """
                node:    { id: %s, data-dir: . }
                storage: { %s }
                keys:    { keystore: ./keys.p12, password-file: ./keystore-password }
                connectors:
                  - id: lab
                    type: hl7v2
                    listen: "127.0.0.1:%d"
                    assigning-authorities: { HOSP: "%s" }
                  - id: wards
                    type: mqtt
                    broker: "%s"
                    topics: ["%sdevices/+/vitals"]
                    format: openmhealth
                    client-id: %s
                    patient-source: ehr
                    devices: { %s }
                  - id: ehr
                    type: fhir
                    base-url: "%s"
                    poll: 500ms
                    resources: [Patient, Observation]
                plugins:  { dir: ./plugins, trust-store: ./trust, require-signed: true }
                audit:    { checkpoint-interval: 500 }
                policies: { dir: ./policies, purposes: { counting-twin: TREAT, restricted-twin: TREAT } }
                """.formatted(NODE_ID, storage, labPort, LabFeed.MRN_SYSTEM, brokerUrl, topicPrefix, clientId,
                devices, ehrBaseUrl));
        NodeConfig loaded = load(config);
        NodeKeys.init(loaded.keys().keystore(), loaded.keys().password().reveal(), NODE_ID, Clock.systemUTC());
        return new ReliabilityNode(dir, config, labPort, run, topicPrefix, clientId);
    }

    static NodeConfig load(Path config) throws Exception {
        return new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(config);
    }

    NodeKeys keys() throws Exception {
        NodeConfig loaded = load(config);
        return NodeKeys.load(loaded.keys().keystore(), loaded.keys().password().reveal());
    }

    /** The node in this JVM (for the final catch-up and the checks, which read its database). */
    Node startInProcess() throws Exception {
        return Node.start(load(config), keys(), ConnectorRegistry.discover(), Clock.systemUTC());
    }

    /** See {@link org.twinbridge.tools.load.LoadGenerator#awaitSettled}. */
    static boolean awaitSettled(Node node, Duration quiet, Duration limit) throws Exception {
        return org.twinbridge.tools.load.LoadGenerator.awaitSettled(node, quiet, limit);
    }

    /**
     * Reads the journal until every acknowledged message the check names is in it, or the limit passes. A quiet
     * journal does not prove the sources drained: a broker still holds acknowledged readings for the node's
     * session while its client waits out a reconnect backoff (after a database or broker outage). A late message
     * arrives; one still missing at the limit is lost.
     */
    static List<Reconciliation.SourceResult> awaitJournalled(Node node, Duration limit,
            java.util.function.Function<Reconciliation, List<Reconciliation.SourceResult>> check) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(limit);
        while (true) {
            List<Reconciliation.SourceResult> sources = check.apply(
                    Reconciliation.readJournal(node.pipeline()));
            if (sources.stream().allMatch(r -> r.lost() == 0) || java.time.Instant.now().isAfter(deadline)) {
                return sources;
            }
            Thread.sleep(2000);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The wearables the device feed publishes as. */
    static List<String> wearables() {
        return List.of("dev-1", "dev-2");
    }
}
