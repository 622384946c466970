package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Objects;

/**
 * Each plugin's cursor per Kafka journal partition, in the shared PostgreSQL ({@code kafka_cursor}): the next
 * offset the plugin has not passed. It moves in the transaction that commits the plugin's state, outputs and
 * audit entries for the records passed, and only from the position the mover read (compare-and-set), so two
 * workers that both believe they own a partition (a rebalance in progress, a worker paused past its session)
 * cannot both commit the same records: the second rolls back. Kafka's own committed offsets are advisory only;
 * a worker assigned a partition seeks to these.
 */
public final class PartitionCursors {

    private PartitionCursors() {
    }

    /** One partition of one journal topic. */
    public record Partition(String topic, int partition) {
        public Partition {
            Objects.requireNonNull(topic, "topic");
        }
    }

    /** The plugin's cursor for the partition (creating it at offset 0 if new), in the caller's transaction. */
    public static long position(Connection c, String pluginId, Partition partition, Clock clock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kafka_cursor (plugin_id, topic, kafka_partition, "
                + "next_offset, delivered, denied, not_requested, failed, updated_at) VALUES (?, ?, ?, 0, 0, 0, 0, 0, ?) "
                + "ON CONFLICT (plugin_id, topic, kafka_partition) DO NOTHING")) {
            ps.setString(1, pluginId);
            ps.setString(2, partition.topic());
            ps.setInt(3, partition.partition());
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT next_offset FROM kafka_cursor WHERE plugin_id = ? "
                + "AND topic = ? AND kafka_partition = ?")) {
            ps.setString(1, pluginId);
            ps.setString(2, partition.topic());
            ps.setInt(3, partition.partition());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A group's move of one partition cursor, from the position the worker read. */
    static final class Move implements CursorMove {
        private final String pluginId;
        private final Partition partition;
        private final long expected;
        private final String worker;
        private final int[] counts = new int[Dispatcher.Outcome.values().length];
        private long last = -1;

        Move(String pluginId, Partition partition, long expected, String worker) {
            this.pluginId = pluginId;
            this.partition = partition;
            this.expected = expected;
            this.worker = worker;
        }

        @Override
        public void passed(long seq, Dispatcher.Outcome outcome) {
            last = seq;
            counts[outcome.ordinal()]++;
        }

        @Override
        public void apply(Connection c, Clock clock) throws SQLException {
            if (last < 0) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE kafka_cursor SET next_offset = ?, "
                    + "delivered = delivered + ?, denied = denied + ?, not_requested = not_requested + ?, "
                    + "failed = failed + ?, worker = ?, updated_at = ? "
                    + "WHERE plugin_id = ? AND topic = ? AND kafka_partition = ? AND next_offset = ?")) {
                ps.setLong(1, last);
                ps.setInt(2, counts[Dispatcher.Outcome.DELIVERED.ordinal()]);
                ps.setInt(3, counts[Dispatcher.Outcome.DENIED.ordinal()]);
                ps.setInt(4, counts[Dispatcher.Outcome.NOT_REQUESTED.ordinal()]);
                ps.setInt(5, counts[Dispatcher.Outcome.FAILED.ordinal()]);
                ps.setString(6, worker);
                ps.setTimestamp(7, Timestamp.from(clock.instant()));
                ps.setString(8, pluginId);
                ps.setString(9, partition.topic());
                ps.setInt(10, partition.partition());
                ps.setLong(11, expected);
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("TB-DISPATCH-006 cursor of plugin " + pluginId + " on journal partition "
                            + partition.partition() + " moved away from offset " + expected + " (another worker "
                            + "owns the partition now); delivery rolled back", "40001");
                }
            }
        }
    }
}
