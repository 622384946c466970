package org.twinbridge.runtime.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.camel.RoutesBuilder;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.plugin.isolation.IsolatingPluginManager;
import org.twinbridge.runtime.plugin.isolation.PluginApiClassLoader;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.SourceConnector;

/**
 * Loads third-party connectors: jars in the plugin directory whose manifest says {@code Plugin-Kind: connector}.
 *
 * <ol>
 *   <li>Each jar passes the same check as a twin plugin ({@link PluginScan}: signature, trust store,
 *       {@code plugins.require-signed}) before any of its code is loaded; a refused jar is named with its reason.</li>
 *   <li>The checked bytes are copied to a node-private directory and loaded from there, by pf4j, each jar in a class
 *       loader of its own whose parent shows only the JDK, the SDK, HAPI FHIR, Camel, pf4j and SLF4J
 *       ({@link PluginApiClassLoader#forConnectors}): none of the runtime (keys, journal, configuration), the
 *       database drivers or the crypto libraries.</li>
 *   <li>Each {@link SourceConnector} extension's {@code type()} must be one its manifest declares in
 *       {@code Connector-Types}, and no built-in connector or other plugin may already provide it.</li>
 * </ol>
 *
 * <p>What this is not: a sandbox. A connector is a Camel route producer inside the node's JVM, so it runs with the
 * node's file and network permissions, reaches the node's {@code CamelContext} (whose class resolver and registry
 * are the node's), and sees every source message it ingests in clear. The class loader keeps it from linking
 * against node internals and from shadowing the shared libraries; the signature and the trust store are what admit
 * it. docs/security.md and docs/operators.md say so to operators.
 */
public final class ConnectorPluginHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorPluginHost.class);
    /** How a connector plugin runs, as logs and {@code plugin list} say it. */
    public static final String IN_NODE = "IN THE NODE'S PROCESS, in its own class loader (JDK, SDK, HAPI FHIR, Camel, "
            + "pf4j, SLF4J only): trusted code that sees the source data it ingests";

    private final Optional<PluginManager> manager;
    private final Map<String, SourceConnector> byType = new TreeMap<>();
    private final Map<String, String> pluginOfType = new TreeMap<>();
    private final List<String> refused = new ArrayList<>();

    private ConnectorPluginHost(Optional<PluginManager> manager) {
        this.manager = manager;
    }

    /** No connector plugins, for nodes and tools that load none. */
    public static ConnectorPluginHost none() {
        return new ConnectorPluginHost(Optional.empty());
    }

    /**
     * Checks, copies and loads every connector plugin of the plugin directory.
     *
     * @param verifiedDir  node-private directory the admitted jars are copied to and loaded from; emptied first
     * @param builtInTypes the connector types the node has built in; a plugin may not replace one
     */
    public static ConnectorPluginHost load(NodeConfig.Plugins config, Path verifiedDir, Set<String> builtInTypes,
            Clock clock) throws IOException {
        return load(PluginScan.candidates(config, clock.instant()).stream()
                .filter(c -> c.file().kind() == PluginKind.CONNECTOR).toList(), verifiedDir, builtInTypes);
    }

    /** As above, from jars already scanned (their checked bytes); the node's path, through {@link PluginHost}. */
    static ConnectorPluginHost load(List<PluginScan.Candidate> candidates, Path verifiedDir, Set<String> builtInTypes)
            throws IOException {
        if (candidates.isEmpty()) {
            return none();
        }
        Files.createDirectories(verifiedDir);
        try (Stream<Path> old = Files.list(verifiedDir)) {
            for (Path p : old.filter(Files::isRegularFile).toList()) {
                Files.delete(p);
            }
        }
        List<String> refusals = new ArrayList<>();
        Map<String, PluginScan.PluginFile> admitted = new TreeMap<>();
        for (PluginScan.Candidate candidate : candidates) {
            PluginScan.PluginFile file = candidate.file();
            String name = file.jar().getFileName().toString();
            if (!file.admitted()) {
                refusals.add("TB-PLUGIN-003 connector plugin " + file.pluginId() + " (" + name + ") refused: "
                        + file.refusal().get());
            } else if (admitted.containsKey(file.pluginId())) {
                refusals.add("TB-PLUGIN-002 connector plugin " + file.pluginId() + " (" + name + ") refused: "
                        + "another jar has the same Plugin-Id");
            } else {
                if (!file.signature().valid()) {
                    LOG.warn("TB-PLUGIN-010 loading connector plugin {} ({}) although it is {}, because "
                            + "plugins.require-signed is false or unset; sign it and configure plugins.trust-store "
                            + "(docs/operators.md)", file.pluginId(), name, file.signature().status().meaning());
                }
                Files.write(verifiedDir.resolve(name), candidate.bytes());
                admitted.put(file.pluginId(), file);
            }
        }
        ConnectorPluginHost host = new ConnectorPluginHost(admitted.isEmpty() ? Optional.empty()
                : Optional.of(new IsolatingPluginManager(verifiedDir,
                        PluginApiClassLoader.forConnectors(ConnectorPluginHost.class.getClassLoader()))));
        refusals.forEach(host::refuse);
        host.manager.ifPresent(m -> {
            m.loadPlugins();
            m.startPlugins();
            admitted.values().forEach(file -> host.admit(m, file, builtInTypes));
        });
        return host;
    }

    private void admit(PluginManager pf4j, PluginScan.PluginFile file, Set<String> builtInTypes) {
        String id = file.pluginId();
        PluginWrapper plugin = pf4j.getPlugin(id);
        if (plugin == null || plugin.getPluginState() != PluginState.STARTED) {
            refuse("TB-PLUGIN-002 connector plugin " + id + " refused: failed to load or start ("
                    + (plugin == null ? "not loaded" : plugin.getPluginState()) + ")");
            return;
        }
        ClassLoader loader = plugin.getPluginClassLoader();
        List<SourceConnector> connectors = pf4j.getExtensions(SourceConnector.class, id);
        if (connectors.isEmpty()) {
            refuse("TB-PLUGIN-002 connector plugin " + id + " refused: contains no SourceConnector extension");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (SourceConnector connector : connectors) {
            String type;
            Set<String> keys;
            try {
                type = withLoader(loader, connector::type);
                keys = Set.copyOf(withLoader(loader, connector::settingKeys));
            } catch (RuntimeException | LinkageError e) {
                refuse("TB-PLUGIN-002 connector plugin " + id + " refused: type() or settingKeys() threw "
                        + e.getClass().getSimpleName());
                continue;
            }
            if (!file.connectorTypes().contains(type)) {
                refuse("TB-PLUGIN-041 connector plugin " + id + " refused: its connector's type '" + type + "' is not "
                        + "declared in the manifest's Connector-Types " + file.connectorTypes());
            } else if (builtInTypes.contains(type) || byType.containsKey(type) || !seen.add(type)) {
                refuse("TB-PLUGIN-041 connector plugin " + id + " refused: connector type '" + type + "' is already "
                        + "provided by " + (builtInTypes.contains(type) ? "a built-in connector"
                                : "plugin " + pluginOfType.getOrDefault(type, id)));
            } else {
                byType.put(type, new PluginConnector(id, type, keys, connector, loader));
                pluginOfType.put(type, id);
                LOG.warn("TB-PLUGIN-042 connector plugin {} {} (type {}, signer {}) runs {}", id, file.version(),
                        type, file.signature().signer().orElse("none"), IN_NODE);
            }
        }
    }

    private static <T> T withLoader(ClassLoader loader, java.util.function.Supplier<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void refuse(String message) {
        refused.add(message);
        LOG.error(message);
    }

    /** The connector a loaded plugin provides for this type. */
    public Optional<SourceConnector> get(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Connector type to the id of the plugin that provides it. */
    public Map<String, String> types() {
        return Map.copyOf(pluginOfType);
    }

    /** Why each refused connector plugin was refused. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    public void close() {
        manager.ifPresent(m -> {
            m.stopPlugins();
            m.unloadPlugins();
        });
    }

    /**
     * A plugin's connector as the node calls it: while it builds its routes, the thread's context class loader is
     * the plugin's, so libraries it bundles that look classes up there find its own.
     */
    private record PluginConnector(String pluginId, String type, Set<String> keys, SourceConnector connector,
            ClassLoader loader) implements SourceConnector {

        @Override
        public Set<String> settingKeys() {
            return keys;
        }

        @Override
        public RoutesBuilder routes(ConnectorContext context) throws ConnectorConfigException {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                return connector.routes(context);
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException("TB-PLUGIN-043 connector plugin " + pluginId + " (type " + type
                        + ") failed to build its routes: " + e.getClass().getName(), e);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        @Override
        public String toString() {
            return "PluginConnector[" + pluginId + ", type=" + type + "]";
        }
    }
}
