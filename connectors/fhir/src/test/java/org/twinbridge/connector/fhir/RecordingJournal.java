package org.twinbridge.connector.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Stands in for the node's journal endpoint: keeps every page of records it commits, in order, and can be told
 * to fail commits, as a journal does when its database is unavailable. Thread-safe.
 */
final class RecordingJournal implements Processor {

    private final List<List<CanonicalRecord>> pages = new CopyOnWriteArrayList<>();
    private volatile int acceptUpTo = Integer.MAX_VALUE;
    private volatile String failure = "";

    @Override
    public void process(Exchange exchange) throws Exception {
        List<?> body = exchange.getMessage().getMandatoryBody(List.class);
        List<CanonicalRecord> page = body.stream().map(CanonicalRecord.class::cast).toList();
        if (pages.size() >= acceptUpTo) {
            throw new IllegalStateException(failure);
        }
        pages.add(page);
        exchange.getMessage().setHeader(ConnectorContext.JOURNALLED_HEADER, page.size());
    }

    /**
     * Commits {@code morePages} more pages, then fails every commit with this message (which tests fill with
     * record content, to check it is not passed on).
     */
    void failAfter(int morePages, String message) {
        failure = message;
        acceptUpTo = pages.size() + morePages;
    }

    /** Commits again. */
    void recover() {
        acceptUpTo = Integer.MAX_VALUE;
    }

    /** Every committed page, oldest first. */
    List<List<CanonicalRecord>> pages() {
        return List.copyOf(pages);
    }

    /** The records of the committed pages from {@code fromPage} (0-based) to {@code toPage} (exclusive). */
    List<CanonicalRecord> records(int fromPage, int toPage) {
        List<CanonicalRecord> records = new ArrayList<>();
        // A copy first: the connector may commit another page while a test reads.
        List.copyOf(pages).subList(fromPage, toPage).forEach(records::addAll);
        return records;
    }

    /** Every committed record. */
    List<CanonicalRecord> records() {
        return records(0, pages.size());
    }
}
