package org.twinbridge.runtime.plugin;

import java.util.List;
import org.twinbridge.runtime.dispatch.Subscriber;

/**
 * The node's plugins as the admin API sees them: what was scanned and loaded, and switching a loaded plugin's
 * delivery off and on. A disabled plugin stays loaded and keeps its cursor; the switch lasts until the node
 * restarts. Thread-safe.
 */
public interface PluginControl {

    /** Every plugin jar the node saw at start, admitted or refused, with its signature check. */
    List<PluginScan.PluginFile> files();

    /** Each connector type a loaded connector plugin provides, to that plugin's id. */
    java.util.Map<String, String> connectorTypes();

    /** The loaded plugins, in load order. */
    List<Subscriber> subscribers();

    /** Whether deliveries to the loaded plugin run. */
    boolean enabled(String pluginId);

    /** Starts or stops deliveries to the loaded plugin (the caller audits the change). */
    void setEnabled(String pluginId, boolean enabled) throws Exception;
}
