package org.twinbridge.tools.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.tools.demo.BundledFiles;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.plugin.signing.VendorKey;

/**
 * Node start, from reading the configuration file to a node whose routes run: storage opened and migrated, keys
 * loaded from the keystore, the bundled plugins' signatures checked and the plugins loaded, the demo
 * policy set compiled, the start audited, Camel started. No connectors and no embedded EHR. Measured twice in
 * this JVM: the first start pays for class loading and the schema migration, the second is a restart.
 */
final class StartRun {

    /** Start times in milliseconds. */
    record Result(double firstMillis, double restartMillis, int plugins) {
    }

    private StartRun() {
    }

    static Result run(Path dir) throws Exception {
        Files.createDirectories(dir);
        char[] password = "bench-keystore-password".toCharArray();
        Files.writeString(dir.resolve("keystore-password"), new String(password), StandardCharsets.UTF_8);
        NodeKeys.init(dir.resolve("keys.p12"), password, "bench-start", Clock.systemUTC());
        List<String> jars = BundledFiles.extract("bundled-plugins", dir.resolve("plugins"));
        VendorKey vendor = VendorKey.generate("CN=TwinBridge bench vendor", Instant.now().minus(Duration.ofMinutes(5)),
                Instant.now().plus(Duration.ofDays(1)));
        Files.createDirectories(dir.resolve("trust"));
        vendor.writeCertificate(dir.resolve("trust").resolve("bench-vendor.pem"));
        for (String jar : jars) {
            if (jar.endsWith(".jar")) {
                vendor.sign(dir.resolve("plugins").resolve(jar));
            }
        }
        BundledFiles.extract("bundled-policies/demo", dir.resolve("policies"));
        Path config = dir.resolve("twinbridge.yaml");
        Files.writeString(config, """
                node:     { id: bench-start, data-dir: . }
                keys:     { keystore: ./keys.p12, password-file: ./keystore-password }
                plugins:  { dir: ./plugins, trust-store: ./trust, require-signed: true }
                policies: { dir: ./policies, purposes: { news2-twin: TREAT } }
                """, StandardCharsets.UTF_8);
        int plugins = (int) jars.stream().filter(j -> j.endsWith(".jar")).count();
        double first = startOnce(config, plugins);
        double restart = startOnce(config, plugins);
        return new Result(first, restart, plugins);
    }

    private static double startOnce(Path configFile, int bundled) throws Exception {
        long start = System.nanoTime();
        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig config = new ConfigLoader(registry.settingKeys()).load(configFile);
        char[] password = config.keys().password().reveal();
        NodeKeys keys = NodeKeys.load(config.keys().keystore(), password);
        java.util.Arrays.fill(password, '\0');
        try (Node node = Node.start(config, keys, registry, Clock.systemUTC())) {
            double millis = (System.nanoTime() - start) / 1e6;
            if (node.subscribers().size() != bundled) {
                throw new IllegalStateException("TB-BENCH-020 expected the " + bundled + " bundled plugins to load, "
                        + "got " + node.subscribers().size() + ": " + node.refusedPlugins());
            }
            return millis;
        }
    }
}
