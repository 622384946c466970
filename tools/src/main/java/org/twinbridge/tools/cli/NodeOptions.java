package org.twinbridge.tools.cli;

import java.nio.file.Path;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.node.ConnectorRegistry;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by commands that act on a node. */
final class NodeOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "twinbridge.yaml",
            description = "Node configuration file (default: ${DEFAULT-VALUE}).")
    Path config;

    NodeConfig load(ConnectorRegistry registry) throws ConfigException {
        return registry.configLoader().load(config);
    }

    /** As {@link #load}, but a connector type whose plugin is refused is no error: the plugin commands show why. */
    NodeConfig loadForPluginInspection(ConnectorRegistry registry) throws ConfigException {
        return registry.pluginInspectionConfigLoader().load(config);
    }

    static NodeKeys keys(NodeConfig config) throws ConfigException, NodeKeys.KeyStoreFailure {
        char[] password = config.keys().password().reveal();
        try {
            return NodeKeys.load(config.keys().keystore(), password);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }
}
