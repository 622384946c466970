package org.twinbridge.tools.cli;

import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.twinbridge.runtime.audit.JdbcAuditTrail;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.storage.Database;

/**
 * What an administrative command works on: the configuration, the node database, and (when it needs them)
 * the keys and a signing audit trail, so its actions are audited like the node's own.
 */
final class NodeSession implements AutoCloseable {

    final NodeConfig config;
    final Database db;
    private final Optional<NodeKeys> keys;

    private NodeSession(NodeConfig config, Database db, Optional<NodeKeys> keys) {
        this.config = config;
        this.db = db;
        this.keys = keys;
    }

    static NodeSession withKeys(NodeConfig config) throws ConfigException, NodeKeys.KeyStoreFailure {
        NodeKeys keys = NodeOptions.keys(config);
        return new NodeSession(config, open(config), Optional.of(keys));
    }

    static NodeSession withoutKeys(NodeConfig config) throws ConfigException {
        return new NodeSession(config, open(config), Optional.empty());
    }

    static Database open(NodeConfig config) throws ConfigException {
        NodeConfig.Storage storage = config.storage();
        char[] password = storage.password().isPresent() ? storage.password().get().reveal() : null;
        try {
            return Database.open(storage.url(), storage.user().orElse(null), password);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    NodeKeys keys() {
        return keys.orElseThrow();
    }

    /** A trail that signs checkpoints as the node does (the session has keys), or only chains (it has none). */
    JdbcAuditTrail audit() {
        return keys.map(k -> new JdbcAuditTrail(Clock.systemUTC(), new JdbcAuditTrail.CheckpointPolicy(
                config.node().id(), k.auditSigner(), config.audit().checkpointInterval())))
                .orElseGet(() -> new JdbcAuditTrail(Clock.systemUTC()));
    }

    /** Who runs the command, for audit entries. */
    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    @Override
    public void close() {
        db.close();
    }
}
