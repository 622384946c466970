package org.twinbridge.tools.cli;

import java.time.Clock;
import org.twinbridge.runtime.assembly.NodeAssembly;
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
    private final NodeAssembly services;

    private NodeSession(NodeConfig config, Database db, NodeAssembly services) {
        this.config = config;
        this.db = db;
        this.services = services;
    }

    static NodeSession withKeys(NodeConfig config) throws ConfigException, NodeKeys.KeyStoreFailure {
        NodeKeys keys = NodeOptions.keys(config);
        Database db = NodeAssembly.openDatabase(config.storage());
        return new NodeSession(config, db, NodeAssembly.of(config, keys, db, Clock.systemUTC()));
    }

    static NodeSession withoutKeys(NodeConfig config) throws ConfigException {
        Database db = NodeAssembly.openDatabase(config.storage());
        return new NodeSession(config, db, NodeAssembly.withoutKeys(config, db, Clock.systemUTC()));
    }

    NodeKeys keys() {
        return services.keys();
    }

    /** The node's services, built exactly as the running node builds them. */
    NodeAssembly services() {
        return services;
    }

    /** A trail that signs checkpoints as the node does (the session has keys), or only chains (it has none). */
    JdbcAuditTrail audit() {
        return services.audit();
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
