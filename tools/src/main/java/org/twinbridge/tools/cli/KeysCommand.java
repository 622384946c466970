package org.twinbridge.tools.cli;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.KeyFamily;
import org.twinbridge.runtime.crypto.KeyId;
import org.twinbridge.runtime.crypto.KeyInfo;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.crypto.rotation.KeyAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code twinbridge keys}: key management. Every change is recorded in the audit trail. */
@Command(name = "keys", description = "Manage the node's keys.", subcommands = {KeysCommand.Init.class,
    KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Rewrap.class, KeysCommand.Retire.class})
final class KeysCommand {

    private static void record(NodeSession session, String kind, Map<String, String> details) throws Exception {
        session.services().auditLog().append(new AuditEvent(kind, NodeSession.actor(), "", details));
    }

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
            NodeKeys keys;
            try {
                keys = NodeKeys.init(config.keys().keystore(), password, config.node().id(), Clock.systemUTC());
            } finally {
                Arrays.fill(password, '\0');
            }
            System.out.println("Created keystore " + config.keys().keystore() + " holding " + keys.keyIds() + ".");
            try (NodeSession session = NodeSession.withKeys(config)) {
                record(session, "keys.init", Map.of("keys", String.join(",", keys.keyIds())));
            } catch (RuntimeException | java.sql.SQLException e) {
                System.err.println("TB-KEYS-016 the keystore was created, but its keys.init audit entry could not be "
                        + "written: storage " + config.storage().url().replaceAll(";.*", "") + " is not available ("
                        + e.getClass().getSimpleName() + "). The node records its keys at every start.");
            }
            System.out.println("Back it up, with its password: without it the journal cannot be read.");
            return TwinBridgeCli.OK;
        }
    }

    /** {@code keys list}: every key version and how many data keys each KEK wraps. */
    @Command(name = "list", description = "List key ids, versions and certificates, and the data keys each KEK "
            + "wraps (no key material is shown).")
    static final class ListKeys implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            try (NodeSession session = NodeSession.withKeys(config)) {
                System.out.printf("%-20s %-18s %-8s %-22s %s%n", "KEY", "ALGORITHM", "CURRENT", "CREATED",
                        "CERTIFICATE");
                KeyAdmin admin = session.services().keyAdmin();
                for (KeyInfo info : admin.keys()) {
                    System.out.printf("%-20s %-18s %-8s %-22s %s%n", info.id(), info.algorithm(),
                            info.current() ? "yes" : "", info.created(), info.certificate().orElse(""));
                }
                Map<String, Long> live = admin.liveKeysByKek();
                Map<String, Long> destroyed = admin.destroyedKeysByKek();
                System.out.println();
                System.out.println("Data keys by the KEK that wraps them: " + (live.isEmpty() ? "none" : live));
                System.out.println("Destroyed (crypto-shredded) data keys by the KEK that last wrapped them: "
                        + (destroyed.isEmpty() ? "none" : destroyed));
            }
            return TwinBridgeCli.OK;
        }
    }

    /** {@code keys rotate}: adds a version; the node uses it after a restart. */
    @Command(name = "rotate", description = "Add a new version of a key (default: the KEK). Old versions stay, so "
            + "existing data stays readable; restart the node to use the new version.")
    static final class Rotate implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Option(names = "--key", paramLabel = "FAMILY", defaultValue = "kek",
                description = "kek (default), audit-signing or node-identity.")
        String family;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            KeyFamily which = KeyFamily.byAlias(family).orElseThrow(() -> new TwinBridgeCli.BadInputException(
                    "TB-KEYS-015 unknown key family '" + family + "'; expected kek, audit-signing or node-identity"));
            char[] password = config.keys().password().reveal();
            KeyInfo added;
            try {
                added = NodeKeys.rotate(config.keys().keystore(), password, which, config.node().id(),
                        Clock.systemUTC());
            } finally {
                Arrays.fill(password, '\0');
            }
            try (NodeSession session = NodeSession.withKeys(config)) {
                record(session, "keys.rotate", Map.of("family", which.alias(), "key", added.id().toString()));
            }
            System.out.println("Added " + added.id() + " (" + added.algorithm() + "); it is current for every process "
                    + "that loads the keystore from now on.");
            if (which == KeyFamily.KEK) {
                System.out.println("Restart the node: new data keys are wrapped by " + added.id() + " and the node "
                        + "re-wraps existing ones in the background. With the node stopped, 'twinbridge keys rewrap' "
                        + "does the same.");
            }
            System.out.println("Back up the keystore now.");
            return TwinBridgeCli.OK;
        }
    }

    /** {@code keys rewrap}: moves data keys to the current KEK, resumably. */
    @Command(name = "rewrap", description = "Re-wrap every data key under the current KEK, in committed batches "
            + "(safe to interrupt and run again). Run it while the node is stopped, or let the node do it.")
    static final class Rewrap implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            try (NodeSession session = NodeSession.withKeys(config)) {
                KeyAdmin admin = session.services().keyAdmin();
                long total = admin.rewrap().rewrapAll(NodeSession.actor());
                System.out.println("Re-wrapped " + total + " data key(s) under " + admin.rewrap().currentKek()
                        + ". Remaining by KEK: " + admin.liveKeysByKek());
            }
            return TwinBridgeCli.OK;
        }
    }

    /** {@code keys retire}: deletes an old KEK version nothing depends on any more. */
    @Command(name = "retire", description = "Delete an old KEK version from the keystore once no data key is "
            + "wrapped by it. This makes crypto-shredding final against database backups.")
    static final class Retire implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Option(names = "--key", paramLabel = "KEY-ID", required = true, description = "The version, e.g. kek-v1.")
        String keyId;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            KeyId id = KeyId.parse(keyId).orElseThrow(() -> new TwinBridgeCli.BadInputException(
                    "TB-KEYS-017 '" + keyId + "' is not a key id; expected for example kek-v1"));
            long finalised;
            char[] password = config.keys().password().reveal();
            try (NodeSession session = NodeSession.withKeys(config)) {
                finalised = session.services().keyAdmin().retire(id, password, NodeSession.actor());
            } finally {
                Arrays.fill(password, '\0');
            }
            System.out.println("Retired " + id + ". Erasure of " + finalised + " destroyed data key(s) last wrapped by "
                    + "it is now final, also in database backups. Back up the keystore and delete old copies of it.");
            return TwinBridgeCli.OK;
        }
    }
}
