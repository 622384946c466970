package org.twinbridge.runtime.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.node.KafkaWorker;
import org.twinbridge.runtime.testing.HeartRates;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.testkit.KafkaBroker;

/**
 * The Kafka journal against a real KRaft broker in its own JVM and PostgreSQL: what Kafka holds is sealed exactly
 * as the JDBC journal's rows are (no MRN, no clinical text, in values, keys or headers); one patient's records sit
 * in one partition, in order; a redelivered source message is not sent again; and an append returns only after
 * Kafka acknowledged it: with the broker down it fails and registers nothing, so the source's retry after the
 * broker is back journals the record.
 */
class KafkaJournalIT {

    private static final String TOPIC = "journal-it";
    private static final String MRN = "MRN-4471902";
    private static final String NOTE = "patient reports chest pain since Tuesday";

    @TempDir
    Path dir;

    private String url;
    private TestNode node;
    private KafkaBroker broker;
    private KafkaJournal journal;

    @BeforeEach
    void start() throws Exception {
        url = TestDatabases.createPostgres();
        node = TestNode.open(dir, TestDatabases.postgres(url));
        broker = KafkaBroker.start(dir.resolve("kafka"));
        KafkaWorker.ensureTopic(new NodeConfig.Journal(broker.bootstrap(), TOPIC, 4, "it", true));
        journal = new KafkaJournal(node.db(), node.keys().dataKeys(), node.patients(),
                new DeviceRegistry(node.keys().identifierHashes(), Clock.systemUTC()), TestNode.FHIR,
                JdbcJournal.Settings.labelledBy(SensitivityLabels::none, Clock.systemUTC()),
                KafkaJournal.producer(broker.bootstrap(), "journal-it"), TOPIC);
    }

    @AfterEach
    void stop() throws Exception {
        if (journal != null) {
            journal.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (node != null) {
            node.close();
        }
        if (url != null) {
            TestDatabases.dropPostgres(url);
        }
    }

    @Test
    void appendedRecords_areSealed_keyedByTheInternalPatientKey_inOrderPerPatient_andSentOnce() throws Exception {
        List<CanonicalRecord> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Observation o = HeartRates.of("hr-" + i, 60 + i);
            o.getSubject().setReference("Patient/" + MRN + "-" + (i % 5));
            o.addNote().setText(NOTE);
            records.add(new CanonicalRecord("lab", "msg-" + i, o, List.of()));
        }
        for (int from = 0; from < records.size(); from += 20) {
            assertThat(journal.append(records.subList(from, from + 20)).added()).isEqualTo(20);
        }
        // A source that redelivers what it already saw acknowledged: recognised, nothing sent again.
        assertThat(journal.append(records.subList(0, 20)).duplicates()).isEqualTo(20);

        List<ConsumerRecord<byte[], byte[]>> stored = readAll(60);
        assertThat(stored).hasSize(60);
        Map<String, Integer> partitionOfPatient = new HashMap<>();
        Map<String, List<Integer>> valuesPerPatient = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : stored) {
            String value = new String(r.value(), StandardCharsets.ISO_8859_1);
            assertThat(value).doesNotContain(MRN).doesNotContain("chest pain").doesNotContain("8867-4")
                    .doesNotContain("resourceType");
            assertThat(r.headers().toArray()).isEmpty();
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(key).doesNotContain(MRN).matches("[0-9a-f-]{36}");
            KafkaRecords.Sealed sealed = KafkaRecords.decode(r.value());
            assertThat(sealed.patientKey()).contains(key);
            assertThat(partitionOfPatient.computeIfAbsent(key, k -> r.partition())).isEqualTo(r.partition());
            // Decrypts, with the record's own id as the binding, to the record appended.
            List<JournalEntry> opened1 = node.db().inTransaction(c -> new KafkaEntries(node.keys().dataKeys(),
                    TestNode.FHIR, SensitivityLabels::none).in(c)
                    .open(r.partition(), List.of(new KafkaEntries.Polled(r.offset(), r.value()))));
            assertThat(opened1).hasSize(1);
            Observation opened = (Observation) opened1.get(0).resource();
            assertThat(opened.getNoteFirstRep().getText()).isEqualTo(NOTE);
            valuesPerPatient.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(opened.getValueQuantity().getValue().intValue());
        }
        assertThat(partitionOfPatient).hasSize(5);
        // A write that timed out but landed leaves a second copy when the source sends again: only the registered
        // copy is opened, so workers deliver it once.
        try (var raw = KafkaJournal.producer(broker.bootstrap(), "copy")) {
            raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(TOPIC, stored.get(0).key(),
                    stored.get(0).value())).get();
        }
        List<ConsumerRecord<byte[], byte[]>> withCopy = readAll(61);
        int openedCount = 0;
        for (int p = 0; p < 4; p++) {
            int partition = p;
            List<KafkaEntries.Polled> polled = withCopy.stream().filter(r -> r.partition() == partition)
                    .map(r -> new KafkaEntries.Polled(r.offset(), r.value())).toList();
            openedCount += node.db().inTransaction(c -> new KafkaEntries(node.keys().dataKeys(), TestNode.FHIR,
                    SensitivityLabels::none).in(c).open(partition, polled)).size();
        }
        assertThat(withCopy).hasSize(61);
        assertThat(openedCount).isEqualTo(60);
        // The patient key is the index's own: the same one the JDBC journal would store.
        String firstKey = node.db().inTransaction(c -> node.patients().link(c, "lab", records.get(0).resource()))
                .orElseThrow();
        assertThat(partitionOfPatient).containsKey(firstKey);
        for (List<Integer> values : valuesPerPatient.values()) {
            assertThat(values).isSorted().hasSize(12); // one patient's records in append order
        }
    }

    @Test
    void withTheBrokerDown_anAppendFails_andRegistersNothing_soTheSourcesRetryIsJournalledOnceItIsBack()
            throws Exception {
        CanonicalRecord first = new CanonicalRecord("lab", "m-1", HeartRates.of("a", 70), List.of());
        assertThat(journal.append(List.of(first)).added()).isEqualTo(1);
        broker.kill();
        CanonicalRecord second = new CanonicalRecord("lab", "m-2", HeartRates.of("b", 71), List.of());
        assertThatThrownBy(() -> journal.append(List.of(second))).isInstanceOf(SQLException.class)
                .hasMessageStartingWith("TB-JOURNAL-002");
        assertThat(registered()).isEqualTo(1); // the failed append left no trace: its source was not acknowledged
        broker.restart();
        assertThat(journal.append(List.of(second)).added()).isEqualTo(1);
        assertThat(readAll(2)).hasSize(2);
    }

    @Test
    void aWorker_deliversEachRecordOnce_andReportsItsPartitionsLagAndRebalances() throws Exception {
        for (int from = 0; from < 40; from += 10) {
            List<CanonicalRecord> batch = new ArrayList<>();
            for (int i = from; i < from + 10; i++) {
                Observation o = HeartRates.of("w-" + i, 60 + i);
                o.getSubject().setReference("Patient/w-" + (i % 8));
                batch.add(new CanonicalRecord("lab", "w-" + i, o, List.of()));
            }
            journal.append(batch);
        }
        org.twinbridge.testplugins.CountingTwin twin = new org.twinbridge.testplugins.CountingTwin();
        org.twinbridge.runtime.dispatch.Subscriber subscriber = new org.twinbridge.runtime.dispatch.Subscriber(twin,
                twin.manifest(), "TREAT");
        org.twinbridge.runtime.dispatch.Dispatcher dispatcher = new org.twinbridge.runtime.dispatch.Dispatcher(
                node.db(), node.journal(), new org.twinbridge.policy.decision.AllowListDecisionPoint(
                        Map.of(twin.manifest().id(), List.of("Observation"))), node.patients(),
                node.keys().pseudonyms(), node.keys().dataKeys(), node.audit(), TestNode.FHIR,
                org.twinbridge.runtime.dispatch.Dispatcher.Settings.defaults(TestNode.FHIR, Clock.systemUTC()));
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        KafkaWorker worker = new KafkaWorker(node.db(), dispatcher, new KafkaEntries(node.keys().dataKeys(),
                TestNode.FHIR, SensitivityLabels::none), List.of(subscriber),
                new NodeConfig.Journal(broker.bootstrap(), TOPIC, 4, "it-workers", true), "it-worker", Clock.systemUTC());
        worker.bindTo(registry);
        worker.start();
        try {
            org.twinbridge.testkit.Await.until("the worker passed all 40 records",
                    () -> worker.health().passed() >= 40, () -> worker.health().passed());
            org.twinbridge.testkit.Await.until("the worker's lag reads 0", () -> worker.health().lag() == 0);
            KafkaWorker.Health health = worker.health();
            assertThat(health.ownedPartitions()).containsExactly(0, 1, 2, 3);
            assertThat(health.rebalances()).isPositive();
            assertThat(health.passed()).isEqualTo(40);
            Map<String, String> counted = org.twinbridge.runtime.dispatch.PluginStates.read(node.db(),
                    node.keys().dataKeys(), twin.manifest().id());
            assertThat(counted).hasSize(40).allSatisfy((key, count) -> assertThat(count).isEqualTo("1"));
            assertThat(worker.healthMap()).containsEntry("worker", "it-worker")
                    .containsEntry("ownedPartitions", List.of(0, 1, 2, 3)).containsEntry("lag", 0L)
                    .containsEntry("recordsPassed", 40L).containsKey("rebalances").doesNotContainKey("lastError");
            String scraped = registry.scrape();
            assertThat(scraped).contains("twinbridge_kafka_partitions_owned{worker=\"it-worker\"} 4.0")
                    .contains("twinbridge_kafka_records_passed_total{worker=\"it-worker\"} 40.0")
                    .contains("twinbridge_kafka_rebalances_total{worker=\"it-worker\"}")
                    .contains("twinbridge_kafka_consumer_lag_records{worker=\"it-worker\"} 0.0");
        } finally {
            worker.close();
        }
    }

    private long registered() throws SQLException {
        return node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM kafka_record");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Every record of the topic, reading until {@code expected} arrived and a further second brought nothing. */
    private List<ConsumerRecord<byte[], byte[]>> readAll(int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, 4).mapToObj(i -> new TopicPartition(TOPIC, i))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                int before = all.size();
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                if (all.size() != before) {
                    quietSince = System.nanoTime();
                } else if (all.size() >= expected && System.nanoTime() - quietSince > 1_000_000_000L) {
                    break;
                }
            }
            return all;
        }
    }
}
