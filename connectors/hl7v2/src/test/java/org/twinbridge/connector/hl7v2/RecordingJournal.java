package org.twinbridge.connector.hl7v2;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Stands in for the node's journal endpoint, with its idempotency: a record with the same connector, source id
 * and content as one already committed is not stored again. Can be told to fail, as a journal does when its
 * database is unavailable. Thread-safe.
 */
final class RecordingJournal implements Processor {

    private final List<CanonicalRecord> records = new CopyOnWriteArrayList<>();
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final List<Integer> commits = new CopyOnWriteArrayList<>();
    private volatile String failure;

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        List<?> body = exchange.getMessage().getMandatoryBody(List.class);
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        int added = 0;
        for (Object o : body) {
            CanonicalRecord record = (CanonicalRecord) o;
            if (keys.add(key(record))) {
                records.add(record);
                added++;
            }
        }
        commits.add(body.size());
        exchange.getMessage().setHeader(ConnectorContext.JOURNALLED_HEADER, added);
    }

    /** Fails every commit from now on with this message (tests fill it with record content). */
    void fail(String message) {
        failure = message;
    }

    void recover() {
        failure = null;
    }

    /** Whether this record (same connector, source id and content) has been stored. */
    boolean holds(CanonicalRecord record) {
        return keys.contains(key(record));
    }

    private static String key(CanonicalRecord record) {
        return record.connectorId() + "|" + record.sourceId() + "|"
                + FhirContext.forR4Cached().newJsonParser().encodeResourceToString(record.resource());
    }

    /** Every record stored, in order. */
    List<CanonicalRecord> records() {
        return new ArrayList<>(records);
    }

    /** How many commits succeeded (one per accepted message). */
    int commits() {
        return commits.size();
    }
}
