package org.twinbridge.runtime.node;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.PartitionCursors;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.JournalEntry;
import org.twinbridge.runtime.journal.KafkaEntries;
import org.twinbridge.runtime.storage.Database;

/**
 * One worker of the consumer group that shares the Kafka journal (docs/scale-out.md): it decides, projects and
 * delivers, through the node's {@link Dispatcher}, the records of the partitions Kafka assigns it, for every
 * plugin it runs.
 *
 * <p><b>Exactly once.</b> Each plugin's position in each partition lives in PostgreSQL ({@link PartitionCursors})
 * and moves in the transaction that commits the plugin's state, outputs and audit entries. On assignment the worker
 * reads those cursors and seeks to the lowest; records a plugin has passed already are not given to it again. Offsets
 * committed to Kafka are advisory only (for lag tools). A cursor moves only from the position the worker read, so a
 * worker that lost a partition without knowing yet (a rebalance under way) cannot commit over its new owner: its
 * group rolls back (TB-DISPATCH-006) and it reads the cursors again.
 *
 * <p>One thread polls and dispatches; the rebalance listener runs on it inside {@code poll}, so the owned
 * partitions and their cursors need no lock. Health figures are read from other threads.
 */
public final class KafkaWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaWorker.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    private final Database db;
    private final Dispatcher dispatcher;
    private final KafkaEntries entries;
    private final List<Subscriber> subscribers;
    private final NodeConfig.Journal config;
    private final String name;
    private final Clock clock;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    // The cursors of the owned partitions, per partition then plugin; the poll thread only.
    private final Map<Integer, Map<String, Long>> cursors = new HashMap<>();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
    private final AtomicLong rebalances = new AtomicLong();
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private volatile String lastError = "";

    /** What an operator sees of a worker: see {@code GET /health} and {@code twinbridge_kafka_*} metrics. */
    public record Health(String worker, List<Integer> ownedPartitions, long lag, long rebalances, long passed,
            long conflicts, String lastError) {
        public Health {
            ownedPartitions = List.copyOf(ownedPartitions);
        }
    }

    /**
     * @param name this worker's name in the group (client id, cursors' {@code worker} column, logs)
     */
    public KafkaWorker(Database db, Dispatcher dispatcher, KafkaEntries entries, List<Subscriber> subscribers,
            NodeConfig.Journal config, String name, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.entries = Objects.requireNonNull(entries, "entries");
        this.subscribers = List.copyOf(subscribers);
        this.config = Objects.requireNonNull(config, "config");
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.consumer = new KafkaConsumer<>(consumerProperties(config, name), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "twinbridge-kafka-worker");
        thread.setDaemon(true);
    }

    static Properties consumerProperties(NodeConfig.Journal config, String name) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        // The cursors in PostgreSQL are the truth; Kafka's committed offsets only feed lag tools.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        // A worker that dies is noticed in seconds, not the default 45, and its partitions move on.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "120000");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        return p;
    }

    /** Creates the journal topic with the configured partitions if it does not exist (idempotent). */
    public static void ensureTopic(NodeConfig.Journal config) throws InterruptedException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(config.topic(), Optional.of(config.partitions()),
                    Optional.empty()))).all().get(90, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("TB-JOURNAL-004 cannot create the Kafka journal topic "
                        + config.topic() + " (" + e.getCause().getClass().getSimpleName() + ")", e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("TB-JOURNAL-004 the Kafka brokers at " + config.bootstrap()
                    + " did not answer within 90 s", e);
        }
    }

    /** Joins the group and starts polling. */
    public void start() {
        consumer.subscribe(List.of(config.topic()), new Listener());
        thread.start();
    }

    /**
     * Registers this worker's gauges: {@code twinbridge_kafka_partitions_owned}, {@code
     * twinbridge_kafka_consumer_lag_records}, {@code twinbridge_kafka_rebalances_total}, {@code
     * twinbridge_kafka_records_passed_total} and {@code twinbridge_kafka_cursor_conflicts_total}, tagged with the
     * worker's name (node id and process id, no PHI).
     */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Tags tags = io.micrometer.core.instrument.Tags.of("worker", name);
        io.micrometer.core.instrument.Gauge.builder("twinbridge.kafka.partitions.owned", this,
                w -> w.owned.size()).description("Journal partitions this worker owns").tags(tags)
                .strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder("twinbridge.kafka.consumer.lag", this,
                w -> w.health().lag()).baseUnit("records").description("Records of the owned partitions not read yet")
                .tags(tags).strongReference(true).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("twinbridge.kafka.rebalances", rebalances,
                AtomicLong::get).description("Partition assignments and revocations this worker saw").tags(tags)
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("twinbridge.kafka.records.passed", passed,
                AtomicLong::get).description("Records passed by a plugin's partition cursor (committed)").tags(tags)
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("twinbridge.kafka.cursor.conflicts", conflicts,
                AtomicLong::get).description("Groups rolled back because another worker moved the cursor")
                .tags(tags).register(registry);
    }

    /** {@link #health()} as {@code /health} shows it. */
    public Map<String, Object> healthMap() {
        Health h = health();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("worker", h.worker());
        out.put("group", config.group());
        out.put("topic", config.topic());
        out.put("ownedPartitions", h.ownedPartitions());
        out.put("lag", h.lag());
        out.put("rebalances", h.rebalances());
        out.put("recordsPassed", h.passed());
        out.put("cursorConflicts", h.conflicts());
        if (!h.lastError().isEmpty()) {
            out.put("lastError", h.lastError());
        }
        return out;
    }

    public Health health() {
        return new Health(name, new ArrayList<>(new TreeSet<>(owned)), lag.values().stream().mapToLong(l -> l).sum(),
                rebalances.get(), passed.get(), conflicts.get(), lastError);
    }

    private void run() {
        try {
            while (running) {
                try {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    boolean behind = false;
                    for (TopicPartition tp : records.partitions()) {
                        behind |= process(tp, records.records(tp));
                    }
                    if (!records.isEmpty()) {
                        consumer.commitAsync(); // advisory: lag tools only
                    }
                    updateLag();
                    if (behind) {
                        Thread.sleep(RETRY_PAUSE.toMillis()); // a plugin waits out a retry's backoff
                    }
                } catch (WakeupException e) {
                    // close() asked us to stop
                } catch (SQLException | RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    // The database or the broker failed mid-batch: nothing of the failed group committed. Read the
                    // cursors again and go on from them once the database answers.
                    lastError = e.getClass().getSimpleName();
                    LOG.warn("TB-DISPATCH-007 kafka worker {}: dispatch failed ({}); reading the cursors again",
                            name, describe(e));
                    Thread.sleep(1000);
                    resyncQuietly(consumer.assignment());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.debug("closing the consumer", e);
            }
        }
    }

    /**
     * Runs one partition's polled records through every plugin.
     *
     * @return true if some plugin did not pass them all (it waits for a retry): the partition was rewound to it
     */
    private boolean process(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> polled) throws SQLException {
        Map<String, Long> positions = cursors.get(tp.partition());
        if (positions == null || polled.isEmpty()) {
            return false; // revoked meanwhile
        }
        List<KafkaEntries.Polled> values = polled.stream()
                .map(r -> new KafkaEntries.Polled(r.offset(), r.value())).toList();
        List<JournalEntry> opened = db.inTransaction(c -> entries.in(c).open(tp.partition(), values));
        if (opened.isEmpty()) {
            return false;
        }
        PartitionCursors.Partition partition = new PartitionCursors.Partition(tp.topic(), tp.partition());
        for (Subscriber subscriber : subscribers) {
            long position = positions.get(subscriber.id());
            List<JournalEntry> after = opened.stream().filter(e -> e.seq() > position).toList();
            if (after.isEmpty()) {
                continue;
            }
            long moved;
            try {
                moved = dispatcher.dispatchPartition(subscriber, after, partition, position, name);
                passed.addAndGet(countUpTo(after, moved));
            } catch (SQLException e) {
                if (!"40001".equals(e.getSQLState())) {
                    throw e;
                }
                conflicts.incrementAndGet();
                LOG.info("kafka worker {}: {}", name, e.getMessage());
                moved = db.inTransaction(c -> PartitionCursors.position(c, subscriber.id(), partition, clock));
            }
            positions.put(subscriber.id(), moved);
        }
        long lowest = positions.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long last = opened.get(opened.size() - 1).seq();
        if (lowest < last) {
            consumer.seek(tp, lowest); // position = offset + 1, so the next record to read is at offset `lowest`
            return true;
        }
        return false;
    }

    private static long countUpTo(List<JournalEntry> entries, long position) {
        return entries.stream().filter(e -> e.seq() <= position).count();
    }

    private void updateLag() {
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                lag.put(tp.partition(), l.getAsLong());
            }
        }
    }

    /** Reads every plugin's cursor of these partitions and seeks each partition to the lowest. */
    private void resync(Collection<TopicPartition> partitions) throws SQLException {
        for (TopicPartition tp : partitions) {
            PartitionCursors.Partition partition = new PartitionCursors.Partition(tp.topic(), tp.partition());
            Map<String, Long> positions = db.inTransaction(c -> {
                Map<String, Long> read = new HashMap<>();
                for (Subscriber subscriber : subscribers) {
                    read.put(subscriber.id(), PartitionCursors.position(c, subscriber.id(), partition, clock));
                }
                return read;
            });
            cursors.put(tp.partition(), positions);
            owned.add(tp.partition());
            consumer.seek(tp, positions.values().stream().mapToLong(Long::longValue).min().orElse(0));
        }
    }

    private void resyncQuietly(Collection<TopicPartition> partitions) {
        try {
            resync(partitions);
        } catch (SQLException | RuntimeException e) {
            lastError = e.getClass().getSimpleName();
            LOG.warn("TB-DISPATCH-007 kafka worker {}: cannot read the cursors yet ({})", name, describe(e));
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        // Messages of this code base carry TB codes and no record content; others are named by type only.
        return message != null && message.startsWith("TB-") ? message : e.getClass().getSimpleName();
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            rebalances.incrementAndGet();
            try {
                resync(partitions);
            } catch (SQLException e) {
                // Without its cursors the worker must not read these partitions: leave them unowned (process()
                // ignores them) until the database answers; the run loop's error path reads them again.
                throw new IllegalStateException("TB-DISPATCH-007 cannot read the partition cursors", e);
            }
            LOG.info("kafka worker {} owns journal partitions {}", name, new TreeSet<>(owned));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        private void drop(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            rebalances.incrementAndGet();
            for (TopicPartition tp : partitions) {
                cursors.remove(tp.partition());
                owned.remove(tp.partition());
                lag.remove(tp.partition());
            }
            LOG.info("kafka worker {} owns journal partitions {}", name, new TreeSet<>(owned));
        }
    }

    /** Leaves the group (its partitions move to the other workers) and stops the poll thread. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
