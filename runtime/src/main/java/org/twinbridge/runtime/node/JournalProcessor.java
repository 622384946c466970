package org.twinbridge.runtime.node;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.twinbridge.runtime.journal.AppendResult;
import org.twinbridge.runtime.journal.RecordJournal;
import org.twinbridge.runtime.observe.ConnectorTracker;
import org.twinbridge.runtime.journal.JournalSignal;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The journal endpoint's processor: commits a {@code List<CanonicalRecord>} body and reports how many were
 * new. It throws if the commit fails, so the connector's route does not acknowledge its source.
 */
final class JournalProcessor implements Processor {

    private final RecordJournal journal;
    private final Map<String, ConnectorTracker> trackers;
    private final JournalSignal signal;
    private final AtomicLong added = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    /**
     * @param trackers the connectors' health trackers, by connector id, told of each commit
     * @param signal told after each commit that added records, so dispatch need not wait for its poll
     */
    JournalProcessor(RecordJournal journal, Map<String, ConnectorTracker> trackers, JournalSignal signal) {
        this.journal = journal;
        this.trackers = Map.copyOf(trackers);
        this.signal = signal;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        List<CanonicalRecord> records;
        if (body instanceof CanonicalRecord single) {
            records = List.of(single);
        } else if (body instanceof List<?> list && list.stream().allMatch(CanonicalRecord.class::isInstance)) {
            records = list.stream().map(CanonicalRecord.class::cast).toList();
        } else {
            throw new IllegalArgumentException("TB-JOURNAL-001 the journal endpoint takes a CanonicalRecord or a "
                    + "List<CanonicalRecord>, not " + (body == null ? "null" : body.getClass().getName()));
        }
        AppendResult result = journal.append(records);
        added.addAndGet(result.added() + result.held());
        duplicates.addAndGet(result.duplicates());
        // A connector hands over its own records only; the commit is its success and counts its new records.
        if (!records.isEmpty()) {
            ConnectorTracker tracker = trackers.get(records.get(0).connectorId());
            if (tracker != null) {
                tracker.journalled(result.added() + result.held());
            }
        }
        if (result.added() > 0) {
            signal.committed();
        }
        exchange.getMessage().setHeader(ConnectorContext.JOURNALLED_HEADER, result.added() + result.held());
    }

    long added() {
        return added.get();
    }

    long duplicates() {
        return duplicates.get();
    }
}
