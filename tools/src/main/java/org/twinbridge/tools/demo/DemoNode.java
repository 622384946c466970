package org.twinbridge.tools.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.twinbridge.runtime.plugin.process.PluginLaunch;
import org.twinbridge.runtime.plugin.process.Sandboxes;
import org.twinbridge.runtime.plugin.signing.VendorKey;

/**
 * Lays out a demo node directory: a configuration file like an operator would write, a keystore password
 * file readable by the owner only, and the bundled example plugins, signed with a demo vendor key made for
 * this run (its certificate is the demo trust store's only entry; the private key is never written).
 */
final class DemoNode {

    static final List<String> RESOURCES = List.of("Patient", "Observation", "Condition", "MedicationRequest",
            "Encounter");

    private DemoNode() {
    }

    /**
     * Writes the files and returns the configuration file.
     *
     * @param labPort   where the hl7v2 connector listens for the lab's MLLP feed
     * @param wearables device id to the EHR's {@code Patient/<id>} it is bound to
     */
    static Path prepare(Path dir, String ehrBaseUrl, int labPort, String brokerUrl, Map<String, String> wearables)
            throws IOException {
        Files.createDirectories(dir);
        Path password = dir.resolve("keystore-password");
        if (!Files.exists(password)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Files.writeString(password, Base64.getUrlEncoder().withoutPadding().encodeToString(random),
                    StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system; the demo directory is private to the user anyway.
            }
        }
        List<String> plugins = BundledFiles.extract("bundled-plugins", dir.resolve("plugins"));
        VendorKey vendor = VendorKey.generate("CN=TwinBridge demo vendor,O=TwinBridge demo",
                Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plus(Duration.ofDays(30)));
        Path trust = Files.createDirectories(dir.resolve("trust"));
        try (Stream<Path> old = Files.list(trust)) {
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
        vendor.writeCertificate(trust.resolve("demo-vendor.pem"));
        for (String jar : plugins) {
            if (jar.endsWith(".jar")) {
                vendor.sign(dir.resolve("plugins").resolve(jar));
            }
        }
        BundledFiles.extract("bundled-policies/demo", dir.resolve("policies"));
        Path config = dir.resolve("twinbridge.yaml");
        Files.writeString(config, """
                # Written by `twinbridge demo`: a complete node configuration on embedded parts.
                node:    { id: demo, data-dir: . }
                keys:    { keystore: ./keys.p12, password-file: ./keystore-password }
                connectors:
                  - id: ehr
                    type: fhir
                    base-url: "%s"
                    poll: 1s
                    resources: [%s]
                  - id: lab                # the demo's lab replays HL7 v2 results and registrations over MLLP
                    type: hl7v2
                    listen: "127.0.0.1:%d"
                  - id: wards              # simulated wearables (Open mHealth) and a pacemaker hub (FHIR, MDC IDC)
                    type: mqtt
                    broker: "%s"
                    topics: ["devices/+/vitals", "devices/+/idc"]
                    format: auto
                %s
                  - id: drop               # a folder where other systems drop FHIR files
                    type: file
                    dir: ./inbox
                    poll: 500ms
                    settle-time: 200ms
                plugins: { dir: ./plugins, trust-store: ./trust, require-signed: true%s }
                audit:   { checkpoint-interval: 100 }
                policies:
                  dir: ./policies          # hot-reloaded: edit policies/policy.yaml while the demo runs
                  purposes: { news2-twin: TREAT }
                """.formatted(ehrBaseUrl, String.join(", ", RESOURCES), labPort, brokerUrl, bindings(wearables),
                        unsandboxedUnlessConfined()),
                StandardCharsets.UTF_8);
        return config;
    }

    /**
     * The demo is a first look, so where no OS sandbox works (bubblewrap missing, or not Linux) it still runs its
     * own bundled plugins, each in a process of its own, and says so loudly; a real node refuses them instead
     * (TB-PLUGIN-037) unless its operator writes the same key.
     */
    private static String unsandboxedUnlessConfined() {
        if (Sandboxes.detect(PluginLaunch.currentJava()).confines()) {
            return "";
        }
        System.err.println("demo: no OS sandbox works here (install bubblewrap: apt-get install bubblewrap); the "
                + "demo's own plugins run in processes of their own WITHOUT a sandbox (plugins.allow-unsandboxed)");
        return ", allow-unsandboxed: true";
    }

    /** A free TCP port on the loopback interface. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String bindings(Map<String, String> wearables) {
        if (wearables.isEmpty()) {
            return "    # no devices bound: their readings would be held until a binding arrives";
        }
        return "    patient-source: ehr    # the Patient ids below are the ehr connector's\n"
                + "    devices: { " + wearables.entrySet().stream()
                        .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                        .collect(java.util.stream.Collectors.joining(", ")) + " }";
    }
}
