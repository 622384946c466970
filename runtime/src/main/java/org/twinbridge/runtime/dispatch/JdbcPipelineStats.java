package org.twinbridge.runtime.dispatch;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.JournalCounts;
import org.twinbridge.runtime.journal.JournalEntry;
import org.twinbridge.runtime.storage.Database;

/**
 * {@link PipelineStats} over the node database and journal. The journal is asked for only when the head or entries
 * are read, so counting (which needs no keys) works for a command set up without them.
 */
public final class JdbcPipelineStats implements PipelineStats {

    /** Gives the journal when it is first needed. */
    @FunctionalInterface
    public interface JournalSource {
        JdbcJournal journal() throws SQLException;
    }

    private final Database db;
    private final JournalSource journal;

    public JdbcPipelineStats(Database db, JournalSource journal) {
        this.db = Objects.requireNonNull(db, "db");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    @Override
    public Map<String, JournalCounts.ConnectorCounts> journalled() throws SQLException {
        return JournalCounts.read(db);
    }

    @Override
    public Map<String, DeliveryStats.PluginCounters> deliveries() throws SQLException {
        return DeliveryStats.read(db);
    }

    @Override
    public Optional<Long> lastDelivered(String pluginId) throws SQLException {
        return DeliveryStats.lastDelivered(db, pluginId);
    }

    @Override
    public long journalHead() throws SQLException {
        return journal.journal().headPosition();
    }

    @Override
    public List<JournalEntry> readAfter(long afterSeq, int limit) throws SQLException {
        JdbcJournal j = journal.journal();
        return db.inTransaction(c -> j.readAfter(c, afterSeq, limit));
    }
}
