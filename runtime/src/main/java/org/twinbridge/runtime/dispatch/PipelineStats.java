package org.twinbridge.runtime.dispatch;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twinbridge.runtime.journal.JournalCounts;
import org.twinbridge.runtime.journal.JournalEntry;

/**
 * What has come in and gone out, for status lines, reports and reconciliation: counts per connector and per
 * plugin, the journal head, and the decrypted journal read in order. Each call reads in its own transaction.
 */
public interface PipelineStats {

    /** Journalled records per connector. */
    Map<String, JournalCounts.ConnectorCounts> journalled() throws SQLException;

    /** Delivery counters per plugin. */
    Map<String, DeliveryStats.PluginCounters> deliveries() throws SQLException;

    /** The journal position of the plugin's last delivery, if it has had one. */
    Optional<Long> lastDelivered(String pluginId) throws SQLException;

    /** The newest journal position. */
    long journalHead() throws SQLException;

    /** Up to {@code limit} journal entries after position {@code afterSeq}, in order, decrypted. */
    List<JournalEntry> readAfter(long afterSeq, int limit) throws SQLException;
}
