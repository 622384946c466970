package org.twinbridge.runtime.journal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyDestroyedException;
import org.twinbridge.runtime.crypto.RecordCipher;

/**
 * Opens the records a worker reads from the Kafka journal: decrypts each with its data key from the shared
 * database and labels it with the code lists in force now, as {@link JdbcJournal#readAfter} does for a row. A
 * record whose key was destroyed (its patient erased) no longer exists for anyone: it opens to nothing, and the
 * worker's cursor passes it.
 */
public final class KafkaEntries {

    private final DataKeys keys;
    private final FhirContext fhir;
    private final Supplier<SensitivityLabels> labels;

    public KafkaEntries(DataKeys keys, FhirContext fhir, Supplier<SensitivityLabels> labels) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.fhir = Objects.requireNonNull(fhir, "fhir");
        this.labels = Objects.requireNonNull(labels, "labels");
    }

    /** Opens records in one transaction, caching each data key for the batch. Not thread-safe; one per batch. */
    public final class Batch {
        private final Connection c;
        private final Map<String, RecordCipher> ciphers = new HashMap<>();
        private final IParser parser = fhir.newJsonParser();
        private final SensitivityLabels codeList = labels.get();

        Batch(Connection c) {
            this.c = c;
        }

        /**
         * The record at a Kafka offset as a journal entry whose position is {@code offset + 1} (positions count
         * from 1, as in the JDBC journal, so a cursor at 0 has passed nothing); empty if its key was destroyed.
         */
        public Optional<JournalEntry> open(long offset, byte[] value) throws SQLException {
            KafkaRecords.Sealed sealed = KafkaRecords.decode(value);
            byte[] json;
            try {
                RecordCipher cipher = ciphers.get(sealed.keyId());
                if (cipher == null) {
                    cipher = keys.forReading(c, sealed.keyId());
                    ciphers.put(sealed.keyId(), cipher);
                }
                json = cipher.decrypt(sealed.payload(), sealed.recordId());
            } catch (KeyDestroyedException e) {
                return Optional.empty();
            }
            Resource resource = (Resource) parser.parseResource(new String(json, StandardCharsets.UTF_8));
            codeList.apply(fhir, resource);
            return Optional.of(new JournalEntry(offset + 1, sealed.recordId(), sealed.connectorId(),
                    sealed.patientKey(), sealed.category(), resource));
        }
    }

    /** A batch reading in the caller's transaction. */
    public Batch in(Connection c) {
        return new Batch(c);
    }
}
