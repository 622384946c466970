package org.twinbridge.runtime.plugin;

import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.plugin.process.PluginLaunch;
import org.twinbridge.runtime.plugin.process.Sandbox;
import org.twinbridge.runtime.plugin.process.Sandboxes;

/** How a plugin would run on this machine under this configuration, in the words {@code plugin list} uses. */
public final class PluginIsolationMode {

    private PluginIsolationMode() {
    }

    /** One line: in process (trusted, loudly), in a sandboxed process, unsandboxed (loudly), or refused. */
    public static String describe(NodeConfig.Isolation isolation, String pluginId) {
        if (isolation.inProcess(pluginId)) {
            return PluginHost.IN_PROCESS;
        }
        Sandbox sandbox = Sandboxes.detect(PluginLaunch.currentJava());
        if (sandbox.confines()) {
            return "own process, " + sandbox.describe();
        }
        if (isolation.allowUnsandboxed()) {
            return "own process, WARNING " + sandbox.describe() + " (plugins.allow-unsandboxed: true)";
        }
        return "REFUSED at start (TB-PLUGIN-037): " + sandbox.describe().replace("UNSANDBOXED process", "no OS "
                + "sandbox") + "; install bubblewrap or set plugins.allow-unsandboxed: true";
    }
}
