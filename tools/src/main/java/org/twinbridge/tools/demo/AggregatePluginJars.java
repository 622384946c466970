package org.twinbridge.tools.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginWrapper;
import org.twinbridge.runtime.plugin.signing.JarSignatures;
import org.twinbridge.runtime.plugin.signing.SignatureCheck;
import org.twinbridge.runtime.plugin.signing.TrustStore;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.sdk.AggregateTwinModel;

/**
 * The aggregate plugins of a plugin directory: each jar's CMS signature is checked against the vendor trust
 * store exactly as the node checks twin plugins, and only jars signed by a trusted vendor are loaded, through
 * pf4j, in this JVM (aggregate plugins are not yet sandboxed; docs/federation.md says so).
 */
public final class AggregatePluginJars {

    private AggregatePluginJars() {
    }

    /** The plugins loaded, by plugin id, and a line for each jar refused. */
    public record Loaded(Map<String, AggregateTwinModel> plugins, List<String> refused) {
    }

    public static Loaded load(Path dir, TrustStore trust, Instant now) throws IOException {
        Path verified = Files.createTempDirectory("twinbridge-aggregate-plugins");
        List<String> refused = new ArrayList<>();
        try (Stream<Path> jars = Files.list(dir)) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                Path signature = VendorKey.signatureOf(jar);
                byte[] bytes = Files.readAllBytes(jar);
                SignatureCheck check = JarSignatures.verify(bytes,
                        Files.exists(signature) ? Optional.of(Files.readAllBytes(signature)) : Optional.empty(),
                        trust, now);
                if (check.status() != SignatureCheck.Status.VALID) {
                    refused.add(jar.getFileName() + ": " + check.status() + " " + check.detail());
                    continue;
                }
                // Load the bytes that were verified, not the file, which could change after the check.
                Files.write(verified.resolve(jar.getFileName()), bytes);
            }
        }
        DefaultPluginManager manager = new DefaultPluginManager(verified);
        manager.loadPlugins();
        manager.startPlugins();
        Map<String, AggregateTwinModel> plugins = new LinkedHashMap<>();
        for (PluginWrapper plugin : manager.getPlugins()) {
            List<AggregateTwinModel> models = manager.getExtensions(AggregateTwinModel.class, plugin.getPluginId());
            if (models.size() == 1 && models.get(0).manifest().id().equals(plugin.getPluginId())) {
                plugins.put(plugin.getPluginId(), models.get(0));
            }
        }
        return new Loaded(plugins, refused);
    }
}
