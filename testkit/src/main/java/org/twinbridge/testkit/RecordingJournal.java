package org.twinbridge.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Stands in for the node's journal endpoint: keeps every record it commits, in order, and can be told to fail
 * commits as a journal does when its database is down. Unlike the real journal it does not drop duplicates, so
 * tests can count how often a message was committed. Thread-safe.
 */
public final class RecordingJournal implements Processor {

    private final List<CanonicalRecord> records = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile String failure;

    @Override
    public void process(Exchange exchange) throws Exception {
        List<?> body = exchange.getMessage().getMandatoryBody(List.class);
        if (failure != null) {
            refused.incrementAndGet();
            throw new IllegalStateException(failure);
        }
        body.forEach(r -> records.add((CanonicalRecord) r));
        exchange.getMessage().setHeader(ConnectorContext.JOURNALLED_HEADER, body.size());
    }

    /** Fails every commit from now on with this message (tests fill it with content, to check it is not logged). */
    public void fail(String message) {
        failure = message;
    }

    public void recover() {
        failure = null;
    }

    /** Commits refused so far. */
    public int refused() {
        return refused.get();
    }

    public List<CanonicalRecord> records() {
        return List.copyOf(records);
    }

    /** Committed records whose source id contains the marker. */
    public long count(String marker) {
        return records.stream().filter(r -> r.sourceId().contains(marker)).count();
    }
}
