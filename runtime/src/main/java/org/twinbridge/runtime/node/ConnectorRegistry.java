package org.twinbridge.runtime.node;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.twinbridge.sdk.connector.SourceConnector;

/** The connector types on the class path, found with {@link ServiceLoader}. */
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

    public Optional<SourceConnector> get(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** For each type, the settings keys it accepts: what the configuration loader validates against. */
    public Map<String, Set<String>> settingKeys() {
        Map<String, Set<String>> keys = new TreeMap<>();
        byType.forEach((type, connector) -> keys.put(type, connector.settingKeys()));
        return keys;
    }
}
