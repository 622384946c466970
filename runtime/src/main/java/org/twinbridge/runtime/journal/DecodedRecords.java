package org.twinbridge.runtime.journal;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.model.SensitivityLabels;

/**
 * Journal records decrypted, parsed and labelled once, for every plugin that reads them: read once, fan out. The
 * node's plugins read the same journal rows, each after its own cursor; without this, each of them decrypted and
 * parsed every row again (issue 18). Only what a reader's own query returned is looked up here, so a record whose
 * key was destroyed or whose row was deleted (erasure) is never served: the database still decides what exists,
 * this only saves the decoding.
 *
 * <p>Each reader gets its own deep copy ({@link Resource#copy()}, which reads fields and never lazily creates
 * any), never the parsed original: HAPI's getters create missing elements as they are read, so one instance read
 * by several dispatch threads would be written by all of them. A copy costs a fraction of a parse.
 *
 * <p>An entry is keyed by journal position and is served only to a row with the same record id, key id and
 * ciphertext, byte for byte, under the same sensitivity code lists (a record is labelled with today's lists when
 * read); anything else is decoded again, so an edited row still fails its authentication loudly. Bounded: the oldest
 * positions are dropped first, so a plugin far behind the others decodes its own rows. Thread-safe.
 */
public final class DecodedRecords {

    /** Decodes one row: decrypt, parse, label. */
    @FunctionalInterface
    public interface Decoder {
        Resource decode() throws SQLException;
    }

    /** What a row was decoded from; a row is served from here only if all of it is unchanged. */
    private record Source(String recordId, String keyId, byte[] ciphertext, SensitivityLabels labels) {
        boolean sameAs(Source other) {
            return recordId.equals(other.recordId) && java.util.Objects.equals(keyId, other.keyId)
                    && (labels == other.labels || labels.equals(other.labels))
                    && Arrays.equals(ciphertext, other.ciphertext);
        }
    }

    private record Decoded(Source source, Resource resource) {
    }

    private final int capacity;
    private final Map<Long, Decoded> bySeq;

    /** @param capacity how many records to keep; a few dispatch batches' worth covers plugins moving together */
    public DecodedRecords(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.bySeq = new LinkedHashMap<>(Math.min(capacity, 4096) * 2, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Decoded> eldest) {
                return size() > DecodedRecords.this.capacity;
            }
        };
    }

    /**
     * A private copy of the record at {@code seq}, decoded by {@code decoder} only if no reader has decoded the
     * same row (record id, key id, ciphertext) under the same code lists yet.
     */
    public Resource copyOf(long seq, String recordId, String keyId, byte[] ciphertext, SensitivityLabels labels,
            Decoder decoder) throws SQLException {
        Source source = new Source(recordId, keyId, ciphertext, labels);
        Decoded known;
        synchronized (this) {
            known = bySeq.get(seq);
            if (known != null && !known.source().sameAs(source)) {
                known = null;
            }
        }
        if (known == null) {
            // Decoded outside the lock: two readers may both decode a row the first time, which is harmless.
            known = new Decoded(source, decoder.decode());
            synchronized (this) {
                bySeq.put(seq, known);
            }
        }
        return known.resource().copy();
    }
}
