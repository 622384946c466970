package org.twinbridge.federation.site;

import java.util.Map;
import java.util.Optional;
import org.twinbridge.sdk.AggregateTwinModel;

/** The aggregate plugins installed at a site, by plugin id. */
@FunctionalInterface
public interface AggregatePlugins {

    Optional<AggregateTwinModel> find(String pluginId);

    static AggregatePlugins of(Map<String, AggregateTwinModel> byId) {
        Map<String, AggregateTwinModel> copy = Map.copyOf(byId);
        return id -> Optional.ofNullable(copy.get(id));
    }
}
