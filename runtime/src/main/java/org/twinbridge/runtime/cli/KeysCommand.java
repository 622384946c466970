package org.twinbridge.runtime.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.node.ConnectorRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code twinbridge keys}: key management. */
@Command(name = "keys", description = "Manage the node's keys.", subcommands = KeysCommand.Init.class)
final class KeysCommand {

    /** {@code keys init}: creates the keystore named in the configuration. */
    @Command(name = "init", description = "Create the node keystore (password from the environment or a file, "
            + "as configured under keys:).")
    static final class Init implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            char[] password = config.keys().password().reveal();
            try {
                NodeKeys.init(config.keys().keystore(), password, config.node().id());
            } finally {
                Arrays.fill(password, '\0');
            }
            System.out.println("Created keystore " + config.keys().keystore()
                    + " (journal encryption, pseudonym and patient-index keys). Back it up: without it the "
                    + "journal cannot be read.");
            return TwinBridgeCli.OK;
        }
    }
}
