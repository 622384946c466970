package org.twinbridge.runtime.node;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.DeclaredConnectorType;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.plugin.PluginKind;
import org.twinbridge.runtime.plugin.PluginScan;
import org.twinbridge.sdk.connector.SourceConnector;

/**
 * The connector types built into the node (on its class path, found with {@link ServiceLoader}), and where the
 * configuration finds the types that connector plugins in the plugin directory declare. The node loads those
 * plugins themselves at start ({@link org.twinbridge.runtime.plugin.ConnectorPluginHost}).
 */
public final class ConnectorRegistry {

    private final Map<String, SourceConnector> byType;

    private ConnectorRegistry(Map<String, SourceConnector> byType) {
        this.byType = Map.copyOf(byType);
    }

    public static ConnectorRegistry discover() {
        Map<String, SourceConnector> found = new TreeMap<>();
        for (SourceConnector connector : ServiceLoader.load(SourceConnector.class)) {
            found.putIfAbsent(connector.type(), connector);
        }
        return new ConnectorRegistry(found);
    }

    /** The built-in connector of this type. */
    public Optional<SourceConnector> get(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** For each built-in type, the settings keys it accepts: what the configuration loader validates against. */
    public Map<String, Set<String>> settingKeys() {
        Map<String, Set<String>> keys = new TreeMap<>();
        byType.forEach((type, connector) -> keys.put(type, connector.settingKeys()));
        return keys;
    }

    /**
     * A configuration loader that knows the built-in types and, when a connector names another type, the types the
     * plugin directory's connector plugins declare.
     */
    public ConfigLoader configLoader() {
        return new ConfigLoader(settingKeys(), ConnectorRegistry::declaredTypes);
    }

    /**
     * A configuration loader for the commands that inspect plugins ({@code plugin list}, {@code plugin verify}): it
     * accepts a connector type that a refused plugin declares, so that those commands can show why it is refused
     * instead of failing on the same refusal.
     */
    public ConfigLoader pluginInspectionConfigLoader() {
        return new ConfigLoader(settingKeys(), plugins -> declaredTypes(plugins).stream()
                .map(d -> new DeclaredConnectorType(d.type(), d.pluginId(), d.jar(), java.util.Optional.empty()))
                .toList());
    }

    /**
     * The connector types the connector plugins in the plugin directory declare in their manifests, each with the
     * verdict of the signature check. Runs no plugin code.
     */
    public static List<DeclaredConnectorType> declaredTypes(NodeConfig.Plugins plugins) {
        return PluginScan.scan(plugins, Instant.now()).stream()
                .filter(f -> f.kind() == PluginKind.CONNECTOR)
                .flatMap(f -> f.connectorTypes().stream().map(type -> new DeclaredConnectorType(type, f.pluginId(),
                        f.jar().getFileName().toString(), f.refusal())))
                .toList();
    }
}
