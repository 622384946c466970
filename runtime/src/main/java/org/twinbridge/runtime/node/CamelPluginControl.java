package org.twinbridge.runtime.node;

import java.util.List;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.plugin.PluginControl;
import org.twinbridge.runtime.plugin.PluginHost;
import org.twinbridge.runtime.plugin.PluginScan;

/** {@link PluginControl} by starting and stopping the dispatch route the node runs per plugin. */
final class CamelPluginControl implements PluginControl {

    private final PluginHost plugins;
    private final java.util.Map<String, String> connectorTypes;
    private final CamelContext camel;

    CamelPluginControl(PluginHost plugins, org.twinbridge.runtime.plugin.ConnectorPluginHost connectorPlugins,
            CamelContext camel) {
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.connectorTypes = connectorPlugins.types();
        this.camel = Objects.requireNonNull(camel, "camel");
    }

    @Override
    public java.util.Map<String, String> connectorTypes() {
        return connectorTypes;
    }

    @Override
    public List<PluginScan.PluginFile> files() {
        return plugins.files();
    }

    @Override
    public List<Subscriber> subscribers() {
        return plugins.subscribers();
    }

    @Override
    public boolean enabled(String pluginId) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(Node.dispatchRouteId(pluginId));
        return status != null && status.isStarted();
    }

    @Override
    public void setEnabled(String pluginId, boolean enabled) throws Exception {
        if (enabled) {
            camel.getRouteController().startRoute(Node.dispatchRouteId(pluginId));
        } else {
            camel.getRouteController().stopRoute(Node.dispatchRouteId(pluginId));
        }
    }
}
