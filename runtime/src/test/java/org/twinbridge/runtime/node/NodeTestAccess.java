package org.twinbridge.runtime.node;

import org.twinbridge.runtime.storage.Database;

/**
 * Test-only: the running node's database, for tests that check tables directly (decision log rows, checkpoints,
 * patient links) where no admin service exposes them. Main code has no such door: {@link Node#database()} is
 * package-private and this class lives only in the test tree (and the test jar the tools tests use).
 */
public final class NodeTestAccess {

    private NodeTestAccess() {
    }

    public static Database database(Node node) {
        return node.database();
    }
}
