package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

/**
 * A dispatch group's cursor move, written in the group's transaction: the plugin's journal cursor
 * ({@link CursorTable}) or its cursor for one Kafka journal partition ({@link PartitionCursors}).
 */
interface CursorMove {

    /** Records that the group passed this record with this outcome; only once its work is final. */
    void passed(long seq, Dispatcher.Outcome outcome);

    /** Writes the move in the caller's transaction; fails (and so rolls the group back) if it is stale. */
    void apply(Connection c, Clock clock) throws SQLException;
}
