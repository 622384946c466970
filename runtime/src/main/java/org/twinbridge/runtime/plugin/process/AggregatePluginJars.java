package org.twinbridge.runtime.plugin.process;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.plugin.process.IsolatedTwinModel.PluginStartException;
import org.twinbridge.runtime.plugin.signing.JarSignatures;
import org.twinbridge.runtime.plugin.signing.SignatureCheck;
import org.twinbridge.runtime.plugin.signing.TrustStore;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.sdk.AggregateTwinModel;

/**
 * The aggregate plugins of a plugin directory: each jar's CMS signature is checked against the vendor trust
 * store exactly as the node checks twin plugins, and only jars signed by a trusted vendor are admitted. Each runs
 * in its own sandboxed process (bubblewrap), as twin plugins do: the stand-in returned here starts one per task.
 * Without a working sandbox every plugin is refused unless {@code plugins.allow-unsandboxed} is true.
 */
public final class AggregatePluginJars {

    private AggregatePluginJars() {
    }

    /** The plugins admitted, by plugin id, and a line for each jar refused. */
    public record Loaded(Map<String, AggregateTwinModel> plugins, List<String> refused) {
    }

    public static Loaded load(Path dir, TrustStore trust, Instant now, NodeConfig.Isolation limits)
            throws IOException {
        Path verified = Files.createTempDirectory("twinbridge-aggregate-plugins");
        List<String> refused = new ArrayList<>();
        Map<String, Path> jars = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                Path signature = VendorKey.signatureOf(jar);
                byte[] bytes = Files.readAllBytes(jar);
                SignatureCheck check = JarSignatures.verify(bytes,
                        Files.exists(signature) ? Optional.of(Files.readAllBytes(signature)) : Optional.empty(),
                        trust, now);
                if (check.status() != SignatureCheck.Status.VALID) {
                    refused.add(jar.getFileName() + ": " + check.status() + " " + check.detail());
                    continue;
                }
                Optional<String> id = pluginId(bytes);
                if (id.isEmpty() || jars.containsKey(id.get())) {
                    refused.add(jar.getFileName() + ": TB-PLUGIN-002 no Plugin-Id, or one another jar has");
                    continue;
                }
                // Run the bytes that were verified, not the file, which could change after the check.
                jars.put(id.get(), Files.write(verified.resolve(jar.getFileName()), bytes));
            }
        }
        Path java = PluginLaunch.currentJava();
        Sandbox sandbox = Sandboxes.detect(java);
        if (!sandbox.confines() && !limits.allowUnsandboxed()) {
            jars.keySet().forEach(id -> refused.add(id + ": TB-PLUGIN-037 refused: " + sandbox.describe()
                    + "; install bubblewrap or, knowing the risk, set plugins.allow-unsandboxed: true"));
            return new Loaded(Map.of(), refused);
        }
        Path hostDir = verified.resolveSibling(verified.getFileName() + "-host");
        Path apiJar = PluginApiJar.forThisNode(hostDir);
        Map<String, AggregateTwinModel> plugins = new LinkedHashMap<>();
        for (Map.Entry<String, Path> jar : jars.entrySet()) {
            try {
                plugins.put(jar.getKey(), IsolatedAggregateModel.start(new PluginLaunch(jar.getKey(), jar.getValue(),
                        apiJar, sandbox, java, limits, hostDir.resolve("work").resolve(jar.getKey()))));
            } catch (PluginStartException e) {
                refused.add(jar.getKey() + ": " + e.getMessage());
            }
        }
        return new Loaded(plugins, refused);
    }

    private static Optional<String> pluginId(byte[] jar) throws IOException {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = in.getManifest();
            return Optional.ofNullable(manifest == null ? null : manifest.getMainAttributes().getValue("Plugin-Id"))
                    .filter(id -> id.matches("[A-Za-z0-9._-]{1,64}"));
        }
    }
}
