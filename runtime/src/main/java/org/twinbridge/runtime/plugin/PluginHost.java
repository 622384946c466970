package org.twinbridge.runtime.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.plugin.isolation.IsolatingPluginManager;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * Loads twin plugins and turns each {@link TwinModel} extension into a {@link Subscriber}.
 *
 * <ol>
 *   <li>Every jar in the plugin directory is read once and its signature checked ({@link PluginScan}), before
 *       any of its code is loaded. A refused jar is named with its reason and never opened by pf4j.</li>
 *   <li>The bytes that passed are copied to a directory of the node's own ({@code <data-dir>/verified-plugins}),
 *       and pf4j loads them from there, so a jar changed in the plugin directory after the check (or while a
 *       class is loaded lazily) cannot slip in.</li>
 *   <li>Each plugin gets its own class loader that sees only the SDK and the libraries it names
 *       ({@link org.twinbridge.runtime.plugin.isolation.PluginApiClassLoader}).</li>
 *   <li>A plugin that fails to start, has no TwinModel, or whose manifest id differs from its jar's
 *       {@code Plugin-Id} is refused with a reason and receives nothing.</li>
 * </ol>
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    private final PluginManager manager;
    private final List<PluginScan.PluginFile> files;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();

    private PluginHost(PluginManager manager, List<PluginScan.PluginFile> files) {
        this.manager = manager;
        this.files = List.copyOf(files);
    }

    /**
     * Checks, copies, loads and starts every admitted plugin.
     *
     * @param verifiedDir the node-private directory the admitted jars are copied to and loaded from; emptied
     *                    first
     * @param purposes    plugin id to purpose of use; a plugin without an entry acts under its manifest's first
     *                    purpose in alphabetical order
     */
    public static PluginHost load(NodeConfig.Plugins config, Path verifiedDir, Map<String, String> purposes,
            Instant now) throws IOException {
        prepare(verifiedDir);
        if (!Files.isDirectory(config.dir())) {
            LOG.warn("TB-PLUGIN-001 plugin directory {} does not exist; no twin plugins loaded", config.dir());
            return new PluginHost(new IsolatingPluginManager(verifiedDir), List.of());
        }
        try (Stream<Path> entries = Files.list(config.dir())) {
            entries.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".zip")).forEach(p ->
                    LOG.warn("TB-PLUGIN-006 ignoring {}: only plugin jar files (with their .sig) are loaded", p));
        }
        List<PluginScan.Candidate> candidates = PluginScan.candidates(config, now);
        List<String> refusals = new ArrayList<>();
        for (PluginScan.Candidate candidate : candidates) {
            PluginScan.PluginFile file = candidate.file();
            String name = file.jar().getFileName().toString();
            if (!file.admitted()) {
                refusals.add("TB-PLUGIN-003 plugin " + file.pluginId() + " (" + name + ") refused: "
                        + file.refusal().get());
                continue;
            }
            if (!file.signature().valid()) {
                LOG.warn("TB-PLUGIN-010 loading plugin {} ({}) although it is {}, because plugins.require-signed is "
                        + "{}; sign your plugins and configure plugins.trust-store (docs/operators.md)",
                        file.pluginId(), name, file.signature().status().meaning(),
                        config.requireSignedUnset() ? "not set and no trust store is configured" : "false");
            }
            Files.write(verifiedDir.resolve(name), candidate.bytes());
        }
        PluginHost host = new PluginHost(new IsolatingPluginManager(verifiedDir), candidates.stream()
                .map(PluginScan.Candidate::file).toList());
        refusals.forEach(host::refuse);
        host.manager.loadPlugins();
        host.manager.startPlugins();
        for (PluginWrapper plugin : host.manager.getPlugins()) {
            host.admit(plugin, purposes);
        }
        return host;
    }

    private static void prepare(Path verifiedDir) throws IOException {
        Files.createDirectories(verifiedDir);
        try (Stream<Path> old = Files.list(verifiedDir)) {
            for (Path p : old.toList()) {
                if (Files.isRegularFile(p)) {
                    Files.delete(p);
                }
            }
        }
    }

    private void admit(PluginWrapper plugin, Map<String, String> purposes) {
        String jarId = plugin.getPluginId();
        if (plugin.getPluginState() != PluginState.STARTED) {
            refuse("TB-PLUGIN-002 plugin " + jarId + " refused: failed to start (" + plugin.getPluginState() + ")");
            return;
        }
        List<TwinModel> models = manager.getExtensions(TwinModel.class, jarId);
        if (models.isEmpty()) {
            refuse("TB-PLUGIN-002 plugin " + jarId + " refused: contains no TwinModel extension");
            return;
        }
        for (TwinModel model : models) {
            PluginManifest manifest;
            try {
                manifest = model.manifest();
            } catch (RuntimeException | LinkageError e) {
                refuse("TB-PLUGIN-002 plugin " + jarId + " refused: manifest() threw " + e.getClass().getSimpleName());
                continue;
            }
            if (!manifest.id().equals(jarId)) {
                refuse("TB-PLUGIN-002 plugin " + jarId + " refused: manifest id '" + manifest.id()
                        + "' differs from the jar's Plugin-Id");
                continue;
            }
            String purpose = purposes.getOrDefault(jarId, manifest.request().purposes().stream().sorted()
                    .findFirst().orElseThrow());
            subscribers.add(new Subscriber(model, manifest, purpose));
            LOG.info("loaded plugin {} {} from {} for purpose {}", manifest.id(), manifest.version(),
                    manifest.vendor(), purpose);
        }
    }

    private void refuse(String message) {
        refused.add(message);
        LOG.error(message);
    }

    public List<Subscriber> subscribers() {
        return List.copyOf(subscribers);
    }

    /** Why each refused plugin was refused. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    /** Every jar found, with its signature check and admission. */
    public List<PluginScan.PluginFile> files() {
        return files;
    }

    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }
}
