package org.twinbridge.runtime.journal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;
import java.util.function.Supplier;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyOwner;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The append-only, durable, encrypted record journal over JDBC. Records are idempotent by record id
 * (SHA-256 of connector, source id and content), so a redelivered source message is stored once.
 * Appends are serialised, one transaction at a time: the patient index must not race two first sightings of the
 * same patient, and journal positions must become visible in order. Concurrent appends share a transaction
 * (group commit), so many small appends cost one commit, not one each.
 *
 * <p>A device reading with no subject links through the {@link DeviceRegistry}. If its device is not bound yet
 * the reading is held: committed durably (so its source is acknowledged) in {@link HeldRecords}, outside the
 * journal, where no plugin sees it. When a later record binds the device, its held readings move into the
 * journal, linked, in the same transaction, and are dispatched like any new record.
 *
 * <p>Each payload is AES-256-GCM under its patient's data key ({@link DataKeys}; records without a patient,
 * held readings included, share one node key), bound to its record id. Records whose key was destroyed
 * (crypto-shredded by {@link PatientKeys}) are skipped by {@link #readAfter}: they no longer exist for anyone.
 */
public final class JdbcJournal implements RecordJournal {

    /**
     * How many records one shared transaction takes at most (an append larger than this is committed alone, whole).
     * Large enough that a burst of readings from every connector commits at once; small enough that a transaction
     * holds the SQLite writer, or the journal's turn, for tens of milliseconds, not seconds.
     */
    static final int MAX_RECORDS_PER_TRANSACTION = 2_000;

    private final Database db;
    private final DataKeys keys;
    private final PatientIndex patients;
    private final FhirContext fhir;

    private final Supplier<SensitivityLabels> labels;
    private final DeviceRegistry devices;
    private final JournalListener listener;
    private final Clock clock;
    private final GroupCommit<List<PreparedRecord>, AppendResult> commits;

    /**
     * How the journal labels and announces what it journals, and the clock it stamps rows with.
     *
     * @param labels   the sensitivity code lists in force; records are labelled with them as they are journalled,
     *                 and again, with the lists then in force, each time they are read
     * @param listener told about each new record in the append's transaction (the consent registry's intake)
     */
    public record Settings(Supplier<SensitivityLabels> labels, JournalListener listener, Clock clock) {
        public Settings {
            Objects.requireNonNull(labels, "labels");
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(clock, "clock");
        }

        /** Labels from {@code labels}, no listener. */
        public static Settings labelledBy(Supplier<SensitivityLabels> labels, Clock clock) {
            return new Settings(labels, JournalListener.NONE, clock);
        }
    }

    /**
     * @param devices the device registry: device readings without a subject link through it, or are held until
     *                their device is bound
     */
    public JdbcJournal(Database db, DataKeys keys, PatientIndex patients, DeviceRegistry devices, FhirContext fhir,
            Settings settings) {
        this.db = Objects.requireNonNull(db, "db");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.patients = Objects.requireNonNull(patients, "patients");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.fhir = Objects.requireNonNull(fhir, "fhir");
        this.labels = settings.labels();
        this.listener = settings.listener();
        this.clock = settings.clock();
        this.commits = new GroupCommit<>(this::appendAll, MAX_RECORDS_PER_TRANSACTION);
    }

    /**
     * Journals the records in one transaction; returns only after the commit. Concurrent callers share
     * transactions ({@link GroupCommit}): each caller's records are still all committed or all not, and the
     * result counts the caller's own records.
     */
    @Override
    public AppendResult append(List<CanonicalRecord> records) throws SQLException {
        // Another caller may commit these records while this thread waits, so on SQLite this thread must not hold
        // the writer: a nested append fails at once, as a nested transaction does, instead of deadlocking.
        db.requireNoTransactionOnThisThread();
        // Encoding, hashing and labelling are done on the caller's thread, in parallel with other callers; the
        // shared transaction does only the database work and the encryption.
        List<PreparedRecord> prepared = PreparedRecord.prepare(fhir, labels.get(), records);
        return commits.submit(prepared, Math.max(1, prepared.size()));
    }

    /** One transaction for the appends of several callers; one result per caller, in order. */
    private List<AppendResult> appendAll(List<List<PreparedRecord>> appends) throws SQLException {
        return db.inTransaction(c -> {
            // One key lookup (an indexed SELECT and an unwrap) per patient per transaction, not per record.
            Map<KeyOwner, RecordCipher> ciphers = new java.util.HashMap<>();
            List<String> recordIds = new ArrayList<>();
            appends.forEach(append -> append.forEach(p -> recordIds.add(p.recordId())));
            // One query for the whole transaction; ids added below join the set, so a repeat is caught too.
            Set<String> known = journalledOrHeld(c, recordIds);
            LinkCache links = new LinkCache();
            JournalRows rows = new JournalRows();
            Timestamp now = Timestamp.from(clock.instant());
            List<AppendResult> results = new ArrayList<>(appends.size());
            for (List<PreparedRecord> append : appends) {
                int added = 0;
                int duplicates = 0;
                int held = 0;
                for (PreparedRecord p : append) {
                    CanonicalRecord record = p.record();
                    if (!known.add(p.recordId())) {
                        duplicates++;
                        continue;
                    }
                    Optional<String> patientKey = patients.link(c, record.connectorId(), record.resource(), links);
                    List<String> readingDevices = List.of();
                    if (patientKey.isEmpty() && DeviceRegistry.isUnattributedReading(record.resource())) {
                        readingDevices = devices.readingDevices(record.connectorId(), record.resource());
                        patientKey = devices.patientOf(c, readingDevices, links);
                    }
                    if (patientKey.isEmpty() && !readingDevices.isEmpty()) {
                        HeldRecords.hold(c, record, p.recordId(), RecordFacts.category(record.resource()),
                                heldKey(c).keyId(), heldKey(c).encrypt(p.stored(), p.recordId()), readingDevices,
                                clock.instant());
                        held++;
                        continue;
                    }
                    rows.add(row(c, ciphers, record, p.recordId(), patientKey, p.stored(), now));
                    listener.added(c, record, patientKey);
                    added++;
                    List<String> bound = devices.bind(c, record.connectorId(), record.resource(), patientKey);
                    if (!bound.isEmpty()) {
                        links.devicesChanged();
                        // Released readings are journalled after this record, as before the rows were batched.
                        rows.flush(c);
                        added += HeldRecords.release(c, bound, patientKey.orElse(null), clock.instant());
                    }
                }
                results.add(new AppendResult(added, duplicates, held));
            }
            rows.flush(c);
            return results;
        });
    }

    /**
     * Up to {@code limit} entries after {@code afterSeq}, in journal order, decrypted and labelled with the
     * sensitivity code lists in force now (labels already stored stay). Records whose data key was destroyed are
     * left out (positions then skip them).
     */
    public List<JournalEntry> readAfter(Connection c, long afterSeq, int limit) throws SQLException {
        return readAfter(c, afterSeq, limit, null);
    }

    /**
     * As {@link #readAfter(Connection, long, int)}, decoding each row at most once across the readers that share
     * {@code shared} (read once, fan out): a row another reader has decoded is copied, not decrypted and parsed
     * again. The rows themselves are still those this query returns.
     *
     * @param shared decoded records shared between readers, or null to decode every row here
     */
    public List<JournalEntry> readAfter(Connection c, long afterSeq, int limit, DecodedRecords shared)
            throws SQLException {
        IParser parser = fhir.newJsonParser();
        SensitivityLabels codeList = labels.get();
        List<JournalEntry> entries = new ArrayList<>();
        Map<String, RecordCipher> ciphers = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT j.seq, j.record_id, j.connector_id, j.patient_key, "
                + "j.category, j.payload, j.key_id FROM journal j LEFT JOIN data_key k ON k.key_id = j.key_id "
                // A destroyed key skips its records; an unknown key id (an edited row) fails loudly below.
                + "WHERE j.seq > ? AND (k.key_id IS NULL OR k.wrapped IS NOT NULL) ORDER BY j.seq")) {
            ps.setLong(1, afterSeq);
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String recordId = rs.getString(2);
                    String keyId = rs.getString(7);
                    byte[] payload = rs.getBytes(6);
                    DecodedRecords.Decoder decoder = () -> {
                        RecordCipher cipher = ciphers.get(keyId);
                        if (cipher == null) {
                            cipher = keys.forReading(c, keyId);
                            ciphers.put(keyId, cipher);
                        }
                        byte[] json = cipher.decrypt(payload, recordId);
                        Resource parsed = (Resource) parser.parseResource(new String(json, StandardCharsets.UTF_8));
                        // Labelled again with the code lists in force now, not only those of its ingest: a record
                        // journalled before labels.yaml changed is decided, consented and projected under today's.
                        codeList.apply(fhir, parsed);
                        return parsed;
                    };
                    Resource resource = shared == null ? decoder.decode()
                            : shared.copyOf(rs.getLong(1), recordId, keyId, payload, codeList, decoder);
                    entries.add(new JournalEntry(rs.getLong(1), recordId, rs.getString(3),
                            Optional.ofNullable(rs.getString(4)), rs.getString(5), resource));
                }
            }
        }
        return entries;
    }

    /**
     * Makes the patient's journalled records unreadable, in the caller's transaction: today by deleting their
     * rows. This is the one place erasure touches the journal, so that crypto-shredding (destroying the
     * patient's data key) can replace it.
     *
     * @return how many records were erased
     */
    public int eraseRecordsOf(Connection c, String patientKey) throws SQLException {
        // Crypto-shred first: destroying the patient's data key makes every copy of their records unreadable,
        // including copies in backups and in free database pages that the DELETE below cannot reach.
        keys.destroy(c, KeyOwner.patient(patientKey));
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM journal WHERE patient_key = ?")) {
            ps.setString(1, patientKey);
            return ps.executeUpdate();
        }
    }

    /** Records per connector, for reports and {@code journal stats}. */
    public Map<String, Long> countsByConnector() throws SQLException {
        return db.inTransaction(c -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT connector_id, COUNT(*) FROM journal GROUP BY connector_id ORDER BY connector_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    /** The highest journal position, or 0 when empty. */
    public long headPosition() throws SQLException {
        return db.inTransaction(this::head);
    }

    /** The highest journal position, or 0 when empty, in the caller's transaction. */
    public long head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM journal");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Which of these record ids are journalled or held already, asked in queries of up to 500 ids. */
    private static Set<String> journalledOrHeld(Connection c, List<String> recordIds) throws SQLException {
        Set<String> known = new HashSet<>();
        for (int from = 0; from < recordIds.size(); from += 500) {
            List<String> chunk = recordIds.subList(from, Math.min(recordIds.size(), from + 500));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT record_id FROM journal WHERE record_id IN ("
                    + marks + ") UNION ALL SELECT record_id FROM held_record WHERE record_id IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                    ps.setString(chunk.size() + i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        known.add(rs.getString(1));
                    }
                }
            }
        }
        return known;
    }

    private JournalRows.Row row(Connection c, Map<KeyOwner, RecordCipher> ciphers, CanonicalRecord record,
            String recordId, Optional<String> patientKey, byte[] json, Timestamp now) throws SQLException {
        KeyOwner owner = patientKey.map(KeyOwner::patient).orElse(KeyOwner.unlinkedRecords());
        RecordCipher cipher = ciphers.get(owner);
        if (cipher == null) {
            cipher = keys.forWriting(c, owner);
            ciphers.put(owner, cipher);
        }
        return new JournalRows.Row(recordId, record.connectorId(), patientKey.orElse(null),
                record.resource().fhirType(), RecordFacts.category(record.resource()), record.unmapped().size(),
                cipher.keyId(), cipher.encrypt(json, recordId), now);
    }

    /** Held readings have no patient yet, so they are sealed with the node's key for unlinked records. */
    private RecordCipher heldKey(Connection c) throws SQLException {
        return keys.forWriting(c, KeyOwner.unlinkedRecords());
    }

}
