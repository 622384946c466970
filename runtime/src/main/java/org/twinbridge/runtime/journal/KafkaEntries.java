package org.twinbridge.runtime.journal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyDestroyedException;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the records a worker reads from the Kafka journal: decrypts each with its data key from the shared
 * database and labels it with the code lists in force now, as {@link JdbcJournal#readAfter} does for a row. A
 * record whose key was destroyed (its patient erased) no longer exists for anyone: it opens to nothing, and the
 * worker's cursor passes it. Only the copy of a record that {@code kafka_record} names is opened.
 */
public final class KafkaEntries {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEntries.class);

    private final DataKeys keys;
    private final FhirContext fhir;
    private final Supplier<SensitivityLabels> labels;

    public KafkaEntries(DataKeys keys, FhirContext fhir, Supplier<SensitivityLabels> labels) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.fhir = Objects.requireNonNull(fhir, "fhir");
        this.labels = Objects.requireNonNull(labels, "labels");
    }

    /** A record as polled from one partition: its offset and value. */
    public record Polled(long offset, byte[] value) {
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
         * The records polled from a partition as journal entries, in offset order; each entry's position is its
         * offset + 1 (positions count from 1, as in the JDBC journal, so a cursor at 0 has passed nothing).
         * Left out: records whose data key was destroyed, records that are not journal records (TB-JOURNAL-003,
         * logged), and copies of a record other than the one {@code kafka_record} names (a write that timed out
         * but landed, sent again by its source). A copy no append registered (its append failed and the source
         * never sent it again) is claimed here for this offset, so exactly one copy of every record is delivered.
         */
        public List<JournalEntry> open(int partition, List<Polled> polled) throws SQLException {
            Map<Long, KafkaRecords.Sealed> sealed = new LinkedHashMap<>();
            for (Polled p : polled) {
                try {
                    sealed.put(p.offset(), KafkaRecords.decode(p.value()));
                } catch (IllegalArgumentException e) {
                    LOG.warn("{} (partition {}, offset {}); passed over", e.getMessage(), partition, p.offset());
                }
            }
            Map<String, long[]> canonical = claim(partition, sealed);
            List<JournalEntry> entries = new ArrayList<>(sealed.size());
            for (Map.Entry<Long, KafkaRecords.Sealed> e : sealed.entrySet()) {
                long[] where = canonical.get(e.getValue().recordId());
                if (where == null || where[0] != partition || where[1] != e.getKey()) {
                    continue; // another copy of this record is the one delivered
                }
                open(e.getKey(), e.getValue()).ifPresent(entries::add);
            }
            return entries;
        }

        /** Registers unregistered record ids at these offsets; returns where each record's delivered copy is. */
        private Map<String, long[]> claim(int partition, Map<Long, KafkaRecords.Sealed> sealed) throws SQLException {
            if (sealed.isEmpty()) {
                return Map.of();
            }
            // Waits for an append still committing the same id (a row lock), so its registration is seen.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO kafka_record (record_id, kafka_partition, "
                    + "kafka_offset, journalled_at) VALUES (?, ?, ?, ?) ON CONFLICT (record_id) DO NOTHING")) {
                Timestamp now = new Timestamp(System.currentTimeMillis());
                for (Map.Entry<Long, KafkaRecords.Sealed> e : sealed.entrySet()) {
                    ps.setString(1, e.getValue().recordId());
                    ps.setInt(2, partition);
                    ps.setLong(3, e.getKey());
                    ps.setTimestamp(4, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            Map<String, long[]> where = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT record_id, kafka_partition, kafka_offset FROM "
                    + "kafka_record WHERE record_id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("varchar",
                        sealed.values().stream().map(KafkaRecords.Sealed::recordId).distinct().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        where.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                    }
                }
            }
            return where;
        }

        private Optional<JournalEntry> open(long offset, KafkaRecords.Sealed sealed) throws SQLException {
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
