package org.twinbridge.runtime.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.twinbridge.runtime.plugin.process.IsolatedTwinModel;
import org.twinbridge.runtime.plugin.process.PluginApiJar;
import org.twinbridge.runtime.plugin.process.PluginLaunch;
import org.twinbridge.runtime.plugin.process.Sandbox;
import org.twinbridge.runtime.plugin.process.Sandboxes;
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
 *   <li>Every plugin runs in a child JVM of its own ({@link IsolatedTwinModel}), under the OS sandbox where
 *       there is one ({@link Sandbox}): it holds its jar, the SDK and the SDK's libraries, and receives only the
 *       authorised views the dispatcher sends it. Where no sandbox works, such plugins are refused unless
 *       {@code plugins.allow-unsandboxed} is true, and then a warning says so.</li>
 *   <li>Only plugins that {@code plugins.trusted} names run inside the node's JVM, loaded by pf4j in a class
 *       loader that sees only the SDK and the libraries it names
 *       ({@link org.twinbridge.runtime.plugin.isolation.PluginApiClassLoader}); a warning at start says they are
 *       unisolated.</li>
 *   <li>A plugin that fails to start, has no TwinModel, or whose manifest id differs from its jar's
 *       {@code Plugin-Id} is refused with a reason and receives nothing.</li>
 * </ol>
 *
 * Jars whose manifest says {@code Plugin-Kind: connector} are passed over here: {@link ConnectorPluginHost} loads
 * them, after the same check. {@link #files()} lists them all.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    private final PluginManager manager;
    private final List<PluginScan.PluginFile> files;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final List<IsolatedTwinModel> processes = new ArrayList<>();
    private final Map<String, String> isolation = new TreeMap<>();
    /** The connector jars of the same scan, with their checked bytes, until {@link #loadConnectors} takes them. */
    private List<PluginScan.Candidate> connectorCandidates = List.of();
    /** How a trusted plugin runs, as logs and {@code plugin list} say it. */
    public static final String IN_PROCESS = "IN-PROCESS, UNISOLATED (plugins.trusted): it can reach the node's keys, "
            + "database and every patient's records";

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
     * @param clock       checks certificate validity at load, and paces the plugin processes' restarts
     */
    public static PluginHost load(NodeConfig.Plugins config, Path verifiedDir, Map<String, String> purposes,
            Clock clock) throws IOException {
        Instant now = clock.instant();
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
        Map<String, Path> isolated = new LinkedHashMap<>();
        Path isolatedDir = Files.createDirectories(verifiedDir.resolve("isolated"));
        for (PluginScan.Candidate candidate : candidates) {
            PluginScan.PluginFile file = candidate.file();
            String name = file.jar().getFileName().toString();
            if (file.kind() == PluginKind.CONNECTOR) {
                continue; // ConnectorPluginHost loads (or refuses) it, inside the node; never as a twin.
            }
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
            if (config.isolation().inProcess(file.pluginId())) {
                Files.write(verifiedDir.resolve(name), candidate.bytes());
            } else if (isolated.containsKey(file.pluginId())) {
                refusals.add("TB-PLUGIN-002 plugin " + file.pluginId() + " (" + name + ") refused: another jar "
                        + "has the same Plugin-Id");
            } else {
                Path jar = isolatedDir.resolve(name);
                Files.write(jar, candidate.bytes());
                isolated.put(file.pluginId(), jar);
            }
        }
        PluginHost host = new PluginHost(new IsolatingPluginManager(verifiedDir), candidates.stream()
                .map(PluginScan.Candidate::file).toList());
        refusals.forEach(host::refuse);
        host.connectorCandidates = candidates.stream().filter(c -> c.file().kind() == PluginKind.CONNECTOR).toList();
        host.manager.loadPlugins();
        host.manager.startPlugins();
        for (PluginWrapper plugin : host.manager.getPlugins()) {
            host.admit(plugin, purposes);
        }
        if (!isolated.isEmpty()) {
            host.startIsolated(isolated, config.isolation(), verifiedDir.resolveSibling("plugin-host"), purposes,
                    clock);
        }
        return host;
    }

    /** Starts one process per isolated plugin, in parallel (each JVM takes seconds to start). */
    private void startIsolated(Map<String, Path> jars, NodeConfig.Isolation limits, Path hostDir,
            Map<String, String> purposes, Clock clock) {
        Path java = PluginLaunch.currentJava();
        Sandbox sandbox = Sandboxes.detect(java);
        if (!sandbox.confines()) {
            if (!limits.allowUnsandboxed()) {
                jars.keySet().forEach(id -> refuse("TB-PLUGIN-037 plugin " + id + " refused: " + sandbox.describe()
                        .replace("UNSANDBOXED process", "no OS sandbox") + "; install bubblewrap (apt-get install "
                        + "bubblewrap) or, knowing the risk, set plugins.allow-unsandboxed: true (docs/operators.md)"));
                return;
            }
            LOG.warn("TB-PLUGIN-038 plugins.allow-unsandboxed is true and no OS sandbox works here: plugins {} run "
                    + "as {}", jars.keySet(), sandbox.describe());
        }
        Path apiJar = PluginApiJar.forThisNode(hostDir);
        Map<String, Future<IsolatedTwinModel>> starts = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, jars.size()), r -> {
            Thread t = new Thread(r, "plugin-process-start");
            t.setDaemon(true);
            return t;
        });
        try {
            jars.forEach((id, jar) -> starts.put(id, pool.submit(() -> IsolatedTwinModel.start(
                    new PluginLaunch(id, jar, apiJar, sandbox, java, limits, hostDir.resolve("work").resolve(id)),
                    clock))));
            for (Map.Entry<String, Future<IsolatedTwinModel>> start : starts.entrySet()) {
                String id = start.getKey();
                try {
                    IsolatedTwinModel model = start.getValue().get();
                    processes.add(model);
                    PluginManifest manifest = model.manifest();
                    String purpose = purposes.getOrDefault(id, manifest.request().purposes().stream().sorted()
                            .findFirst().orElseThrow());
                    subscribers.add(new Subscriber(model, manifest, purpose));
                    isolation.put(id, model.isolation());
                    LOG.info("loaded plugin {} {} from {} for purpose {}, in its own process, {}", manifest.id(),
                            manifest.version(), manifest.vendor(), purpose, model.isolation());
                } catch (ExecutionException e) {
                    refuse("TB-PLUGIN-002 plugin " + id + " refused: " + e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    refuse("TB-PLUGIN-002 plugin " + id + " refused: interrupted while starting");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void prepare(Path verifiedDir) throws IOException {
        Files.createDirectories(verifiedDir);
        for (Path dir : List.of(verifiedDir, verifiedDir.resolve("isolated"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    if (Files.isRegularFile(p)) {
                        Files.delete(p);
                    }
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
            isolation.put(jarId, IN_PROCESS);
            LOG.warn("TB-PLUGIN-039 plugin {} {} from {} runs INSIDE THE NODE'S PROCESS, UNISOLATED, because "
                    + "plugins.trusted names it: it can reach everything the node holds (keys, database, every "
                    + "patient's records); purpose {}", manifest.id(), manifest.version(), manifest.vendor(), purpose);
        }
    }

    private void refuse(String message) {
        refused.add(message);
        LOG.error(message);
    }

    /**
     * Loads the connector plugins this host's scan found (and passed over), from the very bytes it checked, so a
     * jar changed on disk since is not what loads. Call once.
     *
     * @see ConnectorPluginHost
     */
    public ConnectorPluginHost loadConnectors(Path verifiedDir, java.util.Set<String> builtInTypes)
            throws IOException {
        List<PluginScan.Candidate> candidates = connectorCandidates;
        connectorCandidates = List.of();
        return ConnectorPluginHost.load(candidates, verifiedDir, builtInTypes);
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

    /** Plugin id to how it runs: in its own (sandboxed or unsandboxed) process, or in process. */
    public Map<String, String> isolation() {
        return Map.copyOf(isolation);
    }

    /** The plugins that run in processes of their own, for health and metrics. */
    public List<IsolatedTwinModel> processes() {
        return List.copyOf(processes);
    }

    @Override
    public void close() {
        processes.forEach(IsolatedTwinModel::close);
        manager.stopPlugins();
        manager.unloadPlugins();
    }
}
