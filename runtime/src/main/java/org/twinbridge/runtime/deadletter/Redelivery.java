package org.twinbridge.runtime.deadletter;

import java.sql.SQLException;
import java.util.Set;

/**
 * Delivers a parked record to its plugin again, through the whole decision path, exactly once. The node's
 * dispatcher provides it for the plugins loaded in this process; the dead-letter service replays through it.
 */
public interface Redelivery {

    /** The ids of the plugins loaded here: only their parked deliveries can be replayed. */
    Set<String> plugins();

    /** Replays the parked row to its plugin, one of {@link #plugins()}. */
    Replay replay(String pluginId, long parkedId) throws SQLException;
}
