package org.twinbridge.tools.cli;

import java.time.Clock;
import org.twinbridge.runtime.assembly.NodeAssembly;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.storage.Database;

/**
 * What an administrative command works on: the node's services, built by the node's own assembly from the
 * configuration, the node database and (when the command needs them) the keys, so its actions are audited like
 * the node's own. Commands ask the assembly for services (audit log, consent admin, key admin, dead letters); they
 * never see the database or the keys.
 */
final class NodeSession implements AutoCloseable {

    private final Database db;
    private final NodeAssembly services;

    private NodeSession(Database db, NodeAssembly services) {
        this.db = db;
        this.services = services;
    }

    static NodeSession withKeys(NodeConfig config) throws ConfigException, NodeKeys.KeyStoreFailure {
        NodeKeys keys = NodeOptions.keys(config);
        Database db = NodeAssembly.openDatabase(config.storage());
        return new NodeSession(db, NodeAssembly.of(config, keys, db, Clock.systemUTC()));
    }

    static NodeSession withoutKeys(NodeConfig config) throws ConfigException {
        Database db = NodeAssembly.openDatabase(config.storage());
        return new NodeSession(db, NodeAssembly.withoutKeys(config, db, Clock.systemUTC()));
    }

    /** The node's services, built exactly as the running node builds them. */
    NodeAssembly services() {
        return services;
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
