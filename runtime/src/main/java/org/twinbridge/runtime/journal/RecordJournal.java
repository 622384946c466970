package org.twinbridge.runtime.journal;

import java.sql.SQLException;
import java.util.List;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Where connectors append: the node's own database ({@link JdbcJournal}, the default) or Apache Kafka
 * ({@link KafkaJournal}). An append returns only once the records are durable where the journal keeps them, so the
 * connector acknowledges its source after that and not before; an append that throws left nothing acknowledged.
 */
public interface RecordJournal {

    /** Journals the records, all or none; returns once they are durable. */
    AppendResult append(List<CanonicalRecord> records) throws SQLException;
}
