package org.twinbridge.runtime.journal;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyOwner;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The journal on Apache Kafka (docs/scale-out.md). An append links each record's patient in the shared PostgreSQL
 * patient index, seals the record under the patient's data key exactly as {@link JdbcJournal} does, and sends it
 * to the journal topic keyed by the internal patient key, so one patient's records stay in one partition, in
 * order. It returns only once Kafka acknowledged every record ({@code acks=all}, idempotent producer) <em>and</em>
 * the PostgreSQL transaction that registered their record ids committed; only then does the connector acknowledge
 * its source. If Kafka does not acknowledge, the transaction rolls back and the append fails: the source sends
 * again.
 *
 * <p><b>Idempotence.</b> Record ids (as in the JDBC journal: a hash of connector, source id and content) are
 * registered in {@code kafka_record} in the same transaction, with the partition and offset Kafka acknowledged,
 * so a source that redelivers a message it already saw acknowledged gets "duplicate", and nothing is sent again.
 * A write that Kafka kept although the append failed (its acknowledgement timed out, or the database commit
 * failed after it) leaves a second copy in Kafka when the source sends again; workers deliver only the copy
 * registered here ({@link KafkaEntries}), so it is delivered once.
 *
 * <p>Concurrent appends share a transaction and one wait for acknowledgements ({@link GroupCommit}). Device
 * readings without a subject link through the device registry as in the JDBC journal; a reading whose device is
 * not bound yet is journalled unlinked rather than held (held readings are a JDBC-journal feature). Thread-safe.
 */
public final class KafkaJournal implements RecordJournal, AutoCloseable {

    /** How long an append waits for Kafka's acknowledgements before it fails (and its source is not acknowledged). */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final Database db;
    private final DataKeys keys;
    private final PatientIndex patients;
    private final DeviceRegistry devices;
    private final FhirContext fhir;
    private final JdbcJournal.Settings settings;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final GroupCommit<List<PreparedRecord>, AppendResult> commits;
    private final AtomicLong sent = new AtomicLong();

    public KafkaJournal(Database db, DataKeys keys, PatientIndex patients, DeviceRegistry devices, FhirContext fhir,
            JdbcJournal.Settings settings, Producer<byte[], byte[]> producer, String topic) {
        this.db = Objects.requireNonNull(db, "db");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.patients = Objects.requireNonNull(patients, "patients");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.fhir = Objects.requireNonNull(fhir, "fhir");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.commits = new GroupCommit<>(this::appendAll, JdbcJournal.MAX_RECORDS_PER_TRANSACTION);
    }

    /**
     * The producer settings the journal relies on: every in-sync replica acknowledges ({@code acks=all}), and the
     * producer is idempotent, so its own retries never write a record twice or out of order.
     */
    public static Properties producerProperties(String bootstrap, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"); // ciphertext does not compress
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(ACK_TIMEOUT.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return p;
    }

    /** A producer with {@link #producerProperties}. */
    public static Producer<byte[], byte[]> producer(String bootstrap, String clientId) {
        return new KafkaProducer<>(producerProperties(bootstrap, clientId), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @Override
    public AppendResult append(List<CanonicalRecord> records) throws SQLException {
        db.requireNoTransactionOnThisThread();
        List<PreparedRecord> prepared = PreparedRecord.prepare(fhir, settings.labels().get(), records);
        return commits.submit(prepared, Math.max(1, prepared.size()));
    }

    /** Records sent to Kafka and acknowledged by it since start (duplicates are not sent). */
    public long sent() {
        return sent.get();
    }

    private List<AppendResult> appendAll(List<List<PreparedRecord>> appends) throws SQLException {
        return db.inTransaction(c -> {
            Map<KeyOwner, RecordCipher> ciphers = new HashMap<>();
            LinkCache links = new LinkCache();
            Timestamp now = Timestamp.from(settings.clock().instant());
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            List<String> sentIds = new ArrayList<>();
            List<AppendResult> results = new ArrayList<>(appends.size());
            for (List<PreparedRecord> append : appends) {
                int added = 0;
                int duplicates = 0;
                for (PreparedRecord p : append) {
                    if (!register(c, p.recordId(), now)) {
                        duplicates++;
                        continue;
                    }
                    CanonicalRecord record = p.record();
                    Optional<String> patientKey = patients.link(c, record.connectorId(), record.resource(), links);
                    if (patientKey.isEmpty() && DeviceRegistry.isUnattributedReading(record.resource())) {
                        patientKey = devices.patientOf(c, devices.readingDevices(record.connectorId(),
                                record.resource()), links);
                    }
                    KeyOwner owner = patientKey.map(KeyOwner::patient).orElse(KeyOwner.unlinkedRecords());
                    RecordCipher cipher = ciphers.get(owner);
                    if (cipher == null) {
                        cipher = keys.forWriting(c, owner);
                        ciphers.put(owner, cipher);
                    }
                    byte[] value = KafkaRecords.encode(new KafkaRecords.Sealed(p.recordId(), record.connectorId(),
                            patientKey, record.resource().fhirType(), RecordFacts.category(record.resource()),
                            record.unmapped().size(), cipher.keyId(), cipher.encrypt(p.stored(), p.recordId())));
                    byte[] key = patientKey.map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
                    acks.add(producer.send(new ProducerRecord<>(topic, key, value)));
                    sentIds.add(p.recordId());
                    settings.listener().added(c, record, patientKey);
                    if (!devices.bind(c, record.connectorId(), record.resource(), patientKey).isEmpty()) {
                        links.devicesChanged();
                    }
                    added++;
                }
                results.add(new AppendResult(added, duplicates));
            }
            List<RecordMetadata> written = awaitAcks(acks);
            recordWhere(c, sentIds, written);
            return results;
        });
    }

    /** Registers the record id; false if it was journalled before (a redelivery). */
    private static boolean register(Connection c, String recordId, Timestamp now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kafka_record (record_id, journalled_at) "
                + "VALUES (?, ?) ON CONFLICT (record_id) DO NOTHING")) {
            ps.setString(1, recordId);
            ps.setTimestamp(2, now);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Names the copy of each record that Kafka acknowledged, in the append's transaction: workers deliver that copy
     * and pass over any other (see {@link KafkaEntries}).
     */
    private static void recordWhere(Connection c, List<String> recordIds, List<RecordMetadata> written)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE kafka_record SET kafka_partition = ?, kafka_offset = ? WHERE record_id = ?")) {
            for (int i = 0; i < recordIds.size(); i++) {
                ps.setInt(1, written.get(i).partition());
                ps.setLong(2, written.get(i).offset());
                ps.setString(3, recordIds.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private List<RecordMetadata> awaitAcks(List<Future<RecordMetadata>> acks) throws SQLException {
        producer.flush();
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        List<RecordMetadata> written = new ArrayList<>(acks.size());
        try {
            for (Future<RecordMetadata> ack : acks) {
                written.add(ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new SQLException("TB-JOURNAL-002 Kafka did not acknowledge the journal write ("
                    + cause.getClass().getSimpleName() + "); nothing was acknowledged to the source", "08006", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("TB-JOURNAL-002 interrupted while waiting for Kafka's acknowledgement", "08006", e);
        }
        sent.addAndGet(acks.size());
        return written;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
