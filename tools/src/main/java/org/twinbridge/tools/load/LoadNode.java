package org.twinbridge.tools.load;

import java.time.Clock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.tools.demo.BundledFiles;
import org.twinbridge.runtime.plugin.signing.VendorKey;

/**
 * The directory of a load-test node: a config with one connector per selected source, the bundled example
 * plugins signed by a vendor key made for this run (its certificate is the only trust-store entry), the demo
 * policy set, and a fresh keystore.
 *
 * @param config  the configuration file
 * @param labPort where the lab connector listens (0 if there is none)
 */
record LoadNode(Path config, int labPort) {

    static final String LAB = "lab";
    static final String WARDS = "wards";
    static final String EHR = "ehr";
    /** The topic filter the node's device connector subscribes to. */
    static final String DEVICE_TOPICS = "devices/+/vitals";
    static final List<String> WEARABLES = List.of("load-wearable-1", "load-wearable-2");

    static LoadNode prepare(Path dir, Set<LoadGenerator.Source> sources, String postgresUrl, String ehrBaseUrl,
            String brokerUrl, List<String> patients) throws Exception {
        Files.createDirectories(dir);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        Files.writeString(dir.resolve("keystore-password"), new String(password));
        List<String> jars = BundledFiles.extract("bundled-plugins", dir.resolve("plugins"));
        VendorKey vendor = VendorKey.generate("CN=TwinBridge load vendor,O=TwinBridge load test",
                Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plus(Duration.ofDays(1)));
        vendor.writeCertificate(Files.createDirectories(dir.resolve("trust")).resolve("load-vendor.pem"));
        for (String jar : jars) {
            if (jar.endsWith(".jar")) {
                vendor.sign(dir.resolve("plugins").resolve(jar));
            }
        }
        BundledFiles.extract("bundled-policies/demo", dir.resolve("policies"));
        int labPort = sources.contains(LoadGenerator.Source.MLLP) ? freePort() : 0;
        StringBuilder connectors = new StringBuilder();
        if (sources.contains(LoadGenerator.Source.MLLP)) {
            connectors.append("""
                      - { id: %s, type: hl7v2, listen: "127.0.0.1:%d", assigning-authorities: { HOSP: "%s" } }
                    """.formatted(LAB, labPort, LabFeed.MRN_SYSTEM));
        }
        if (sources.contains(LoadGenerator.Source.MQTT)) {
            connectors.append("""
                      - id: %s
                        type: mqtt
                        broker: "%s"
                        topics: ["%s"]
                        format: openmhealth
                        patient-source: %s
                        devices: { "%s": "Patient/%s", "%s": "Patient/%s" }
                    """.formatted(WARDS, brokerUrl, DEVICE_TOPICS, EHR, WEARABLES.get(0), patients.get(0),
                    WEARABLES.get(1), patients.get(1)));
        }
        if (sources.contains(LoadGenerator.Source.FHIR)) {
            connectors.append("""
                      - { id: %s, type: fhir, base-url: "%s", poll: 1s, resources: [Patient, Observation] }
                    """.formatted(EHR, ehrBaseUrl));
        }
        String storage = postgresUrl == null ? "" : "storage: { url: \"" + postgresUrl + "\", user: postgres }\n";
        Path config = Files.writeString(dir.resolve("twinbridge.yaml"), """
                # Written by `twinbridge load`: a node on embedded parts, fed by synthetic sources.
                node:    { id: load, data-dir: . }
                %skeys:    { keystore: ./keys.p12, password-file: ./keystore-password }
                connectors:
                %splugins: { dir: ./plugins, trust-store: ./trust, require-signed: true }
                audit:   { checkpoint-interval: 1000 }
                policies:
                  dir: ./policies
                  purposes: { news2-twin: TREAT }
                """.formatted(storage, connectors));
        NodeKeys.init(dir.resolve("keys.p12"), password, "load", Clock.systemUTC());
        java.util.Arrays.fill(password, '\0');
        return new LoadNode(config, labPort);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
