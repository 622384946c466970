package org.twinbridge.runtime.plugin;

import org.twinbridge.runtime.node.NodeTestAccess;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.dispatch.PluginStates;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.runtime.testing.CountingListener;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.testplugins.CountingTwin;
import org.twinbridge.testplugins.hostile.AttackerTwin;

/**
 * The hostile-plugin suite: a signed attacker plugin ({@link AttackerTwin}) that policy grants heart rates only,
 * running under the default configuration (its own process, in the bubblewrap sandbox), next to another plugin,
 * in a node whose keystore password is in its environment. The attacker tries reflection, the environment, the
 * node's files, the JDBC driver, the node's classes, other processes, sockets, DNS and a shell, and records what
 * it got in its own state; every attempt must have failed, and what it received must be exactly the projected
 * heart rates: no name, MRN, phone, other code or other plugin's data.
 */
class HostilePluginIT {

    private static final String NAME = "Quimby";
    private static final String MRN = "MRN-4711-QUIMBY";
    private static final String PHONE = "+44 20 7946 0815";
    private static final String SECRET_CODE = "2339-0";

    @TempDir
    Path dir;
    private CountingListener listener;

    @BeforeEach
    void listen() throws IOException {
        listener = new CountingListener("0.0.0.0");
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    @Test
    void attackerPlugin_obtainsNothingItWasNotGranted() throws Exception {
        String password = System.getenv("TWINBRIDGE_KEYSTORE_PASSWORD");
        assertThat(password).as("failsafe sets a keystore password in the node's environment").isNotBlank();
        NodeConfig config = writeNode();
        NodeKeys keys = NodeKeys.init(config.keys().keystore(), password.toCharArray(), config.node().id(), Clock.systemUTC());

        Map<String, String> loot;
        try (Node node = Node.start(config, keys, ConnectorRegistry.discover(), Clock.systemUTC())) {
            assertThat(node.refusedPlugins()).isEmpty();
            node.journal().append(records());
            await(() -> counters(node, CountingTwin.ID).delivered() == 4, "the counting twin has its records");
            await(() -> counters(node, AttackerTwin.ID).delivered() == 2, "the attacker has its two heart rates");
            loot = PluginStates.read(NodeTestAccess.database(node), keys.dataKeys(), AttackerTwin.ID);
        }

        assertThat(loot.keySet()).hasSize(2).allSatisfy(k -> assertThat(k).startsWith("loot|"));
        for (String entry : loot.values()) {
            System.out.println("HostilePluginIT loot:\n" + entry);
            Map<String, String> attempts = new LinkedHashMap<>();
            for (String line : entry.split("\n")) {
                String[] parts = line.split("\\|", 2);
                attempts.put(parts[0], parts[1]);
            }
            String received = attempts.remove("received");
            assertThat(received).as("a projected heart rate").contains("8867-4")
                    .doesNotContain(NAME, MRN, PHONE, SECRET_CODE, "B20", "Patient/p1\"", "Observation/o");
            assertThat(attempts.remove("env-names")).as("an empty environment (bubblewrap sets PWD=/tmp)")
                    .isIn("[]", "[PWD]");
            assertThat(attempts.remove("reflect")).as("reflection reached nothing of the node, though it tried")
                    .startsWith("DENIED:").containsPattern("opened [1-9][0-9]* fields");
            assertThat(attempts).as("the attempts").containsKeys("env-secret", "file.keystore", "file.database",
                    "file.data-dir", "file.config", "file.other-plugin-jar", "file.password-file",
                    "class.org.sqlite.JDBC", "class.org.twinbridge.runtime.crypto.Pseudonyms", "jdbc", "processes",
                    "socket.loopback", "socket.host", "dns", "exec");
            attempts.forEach((attempt, result) -> assertThat(result).as(attempt).startsWith("DENIED:"));
            assertThat(entry).doesNotContain(password);
        }
        assertThat(listener.accepted()).as("connections that reached the test's listener").isZero();
    }

    private NodeConfig writeNode() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("password-file"), "a secret in a file");
        VendorKey vendor = PluginJars.vendor("Hostile test vendor");
        vendor.writeCertificate(dir.resolve("trust/vendor.pem"));
        vendor.sign(PluginJars.write(plugins.resolve("counting-twin.jar"), CountingTwin.ID, CountingTwin.class));
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("file.keystore", dir.resolve("data/keys.p12").toString());
        targets.put("file.database", dir.resolve("data/twinbridge.mv.db").toString());
        targets.put("file.data-dir", dir.resolve("data").toString());
        targets.put("file.config", dir.resolve("twinbridge.yaml").toString());
        targets.put("file.other-plugin-jar", plugins.resolve("counting-twin.jar").toString());
        targets.put("file.other-plugin-verified", dir.resolve("data/verified-plugins/isolated/counting-twin.jar")
                .toString());
        targets.put("file.password-file", dir.resolve("password-file").toString());
        targets.put("db.url", dir.resolve("data/twinbridge.db").toString());
        targets.put("port", Integer.toString(listener.port()));
        targets.put("host", hostAddress());
        StringBuilder properties = new StringBuilder();
        targets.forEach((k, v) -> properties.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        vendor.sign(PluginJars.write(plugins.resolve("attacker-twin.jar"), AttackerTwin.ID, AttackerTwin.class,
                Map.of(AttackerTwin.TARGETS, properties.toString().getBytes(StandardCharsets.ISO_8859_1))));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("policies/policy.yaml"), """
                policy-set:
                  id: hostile
                  description: Heart rates only for the attacker; everything clinical for the counting twin.
                rules:
                  - id: counting-everything
                    effect: permit
                    recipients: [counting-twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    project:
                      Observation: [status, code, subject, "value[x]"]
                  - id: attacker-heart-rate
                    effect: permit
                    recipients: [attacker-twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    condition: "Observation.code.coding.where(system = 'http://loinc.org' and code = '8867-4').exists()"
                    project:
                      Observation: [status, code, subject, "value[x]"]
                """);
        Path file = Files.writeString(dir.resolve("twinbridge.yaml"), """
                node:     { id: hostile-it, data-dir: ./data }
                keys:     { keystore: ./data/keys.p12, password-env: TWINBRIDGE_KEYSTORE_PASSWORD }
                plugins:  { dir: ./plugins, trust-store: ./trust, require-signed: true }
                policies: { dir: ./policies, purposes: { counting-twin: TREAT, attacker-twin: TREAT } }
                """);
        return new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(file);
    }

    private static List<CanonicalRecord> records() {
        List<CanonicalRecord> records = new ArrayList<>();
        Patient patient = new Patient();
        patient.setId("p1");
        patient.addName().setFamily(NAME).addGiven("Harriet");
        patient.addIdentifier().setSystem("urn:oid:1.2.3.4").setValue(MRN);
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(PHONE);
        records.add(CanonicalRecord.of("ehr", "Patient/p1", patient));
        records.add(observation("o1", "8867-4", 72));
        records.add(observation("o2", SECRET_CODE, 13));
        records.add(observation("o3", "8867-4", 75));
        records.add(observation("o4", "8480-6", 120));
        Condition hiv = new Condition();
        hiv.setId("c1");
        hiv.getCode().addCoding().setSystem("http://hl7.org/fhir/sid/icd-10-cm").setCode("B20");
        hiv.setSubject(new Reference("Patient/p1"));
        records.add(CanonicalRecord.of("ehr", "Condition/c1", hiv));
        return records;
    }

    private static CanonicalRecord observation(String id, String loinc, int value) {
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode(loinc);
        o.setSubject(new Reference("Patient/p1"));
        o.setValue(new Quantity().setValue(value));
        return CanonicalRecord.of("ehr", "Observation/" + id, o);
    }

    /** The machine's own non-loopback IPv4 address (the listener is bound to every address), or loopback. */
    private static String hostAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return address.getHostAddress();
                }
            }
        }
        return "127.0.0.1";
    }

    private static DeliveryStats.PluginCounters counters(Node node, String plugin) {
        try {
            DeliveryStats.PluginCounters c = node.pipeline().deliveries().get(plugin);
            return c == null ? new DeliveryStats.PluginCounters(plugin, 0, 0, 0, 0, 0, Map.of()) : c;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up waiting: " + what);
            }
            Thread.sleep(100);
        }
    }
}
