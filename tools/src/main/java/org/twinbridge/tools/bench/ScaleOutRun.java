package org.twinbridge.tools.bench;

import ca.uhn.fhir.context.FhirContext;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.twinbridge.runtime.assembly.NodeAssembly;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.KafkaEntries;
import org.twinbridge.runtime.journal.KafkaJournal;
import org.twinbridge.runtime.node.KafkaWorker;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The scale-out part of {@code twinbridge bench} (docs/scale-out.md): the workload is appended through the Kafka
 * journal (timed: the ingest rate of one node), then 1, 2 and 3 workers of one consumer group deliver it to the
 * recorder plugins, each worker with its own consumer, dispatcher and connection pool, on the shared PostgreSQL.
 * Each worker count gets its own topic and database, so each run starts from an empty backlog of the same size.
 * The rate is taken between 10 % and 90 % of the work done, so the group's joining and its last stragglers do not
 * count; an unreported one-worker pass warms the JVM up first. The workers run in this JVM, on this machine's
 * cores, as separate worker processes on it would; each worker is one poll thread, so a worker whose database
 * commits wait on the disk leaves the CPU to the others.
 */
final class ScaleOutRun {

    /** Partitions of each run's topic: more than the most workers, as the capacity plan advises. */
    static final int PARTITIONS = 6;

    /** What one worker count measured. */
    record Point(int workers, double recordsPerSecond, double seconds) {
    }

    record Result(double ingestPerSecond, List<Point> points) {
    }

    private ScaleOutRun() {
    }

    /**
     * @param databases creates a fresh PostgreSQL database per run, returning its URL
     */
    static Result run(String bootstrap, Supplier<String> databases, NodeKeys keys, Path policyDir,
            Supplier<List<Subscriber>> plugins, List<CanonicalRecord> records, List<Integer> workerCounts,
            Progress progress) throws Exception {
        List<Point> points = new ArrayList<>();
        double ingest = 0;
        // A first, unreported pass with one worker warms the JIT and the connection pools up, so the one-worker
        // figure that every ratio divides by is not the only one paying for a cold JVM.
        List<Integer> passes = new ArrayList<>();
        passes.add(0);
        passes.addAll(workerCounts);
        for (int pass : passes) {
            boolean warmUp = pass == 0;
            int workers = warmUp ? 1 : pass;
            List<CanonicalRecord> workload = warmUp ? records.subList(0, Math.min(records.size(), 2_000)) : records;
            String run = "tb-bench-" + UUID.randomUUID().toString().substring(0, 8) + "-w" + workers;
            NodeConfig config = config(databases.get(), policyDir, bootstrap, run);
            NodeConfig.Journal journal = config.journal().orElseThrow();
            KafkaWorker.ensureTopic(journal);
            List<Database> dbs = new ArrayList<>();
            List<KafkaWorker> group = new ArrayList<>();
            try {
                Database ingestDb = NodeAssembly.openDatabase(config.storage());
                dbs.add(ingestDb);
                NodeAssembly ingestNode = NodeAssembly.of(config, keys, ingestDb, Clock.systemUTC());
                long start = System.nanoTime();
                try (KafkaJournal kafka = ingestNode.kafkaJournal(journal, run + "-ingest")) {
                    appendAll(kafka, workload, run);
                }
                double ingestRate = workload.size() / ((System.nanoTime() - start) / 1e9);
                if (!warmUp) {
                    ingest = Math.max(ingest, ingestRate);
                }
                int pluginCount = plugins.get().size();
                for (int w = 1; w <= workers; w++) {
                    Database db = NodeAssembly.openDatabase(config.storage());
                    dbs.add(db);
                    NodeAssembly services = NodeAssembly.of(config, keys, db, Clock.systemUTC());
                    group.add(new KafkaWorker(db, services.dispatcher(), new KafkaEntries(services.dataKeys(),
                            FhirContext.forR4Cached(), services::currentLabels), plugins.get(), journal,
                            run + "-worker-" + w, Clock.systemUTC()));
                }
                long total = (long) workload.size() * pluginCount;
                group.forEach(KafkaWorker::start);
                long t10 = 0;
                long t90 = 0;
                long p10 = 0;
                long p90 = 0;
                long begin = System.nanoTime();
                while (true) {
                    long passed = passed(ingestDb, journal.topic());
                    long now = System.nanoTime();
                    progress.update(workload.size(), passed / pluginCount, workload.size(), now - begin);
                    if (t10 == 0 && passed >= total / 10) {
                        t10 = now;
                        p10 = passed;
                    }
                    if (passed >= total * 9 / 10) {
                        t90 = now;
                        p90 = passed;
                        break;
                    }
                    if (now - begin > 600_000_000_000L) {
                        throw new IllegalStateException("scale-out run with " + workers + " worker(s) made no end in "
                                + "10 minutes (" + passed + " of " + total + " deliveries)");
                    }
                    Thread.sleep(100);
                }
                double seconds = (t90 - t10) / 1e9;
                double rate = (p90 - p10) / (double) pluginCount / seconds;
                progress.done();
                if (!warmUp) {
                    points.add(new Point(workers, rate, seconds));
                }
            } finally {
                group.forEach(KafkaWorker::close);
                dbs.forEach(Database::close);
            }
        }
        return new Result(ingest, points);
    }

    /** Appends the workload from four threads, in batches of 100, with source ids of this run. */
    private static void appendAll(KafkaJournal kafka, List<CanonicalRecord> records, String run) throws Exception {
        int threads = 4;
        List<Thread> appenders = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int slice = t;
            Thread thread = new Thread(() -> {
                try {
                    List<CanonicalRecord> batch = new ArrayList<>();
                    for (int i = slice; i < records.size(); i += threads) {
                        CanonicalRecord r = records.get(i);
                        batch.add(new CanonicalRecord(r.connectorId(), run + "-" + i, r.resource(), r.unmapped()));
                        if (batch.size() == 100) {
                            kafka.append(batch);
                            batch.clear();
                        }
                    }
                    if (!batch.isEmpty()) {
                        kafka.append(batch);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "bench-kafka-append-" + t);
            appenders.add(thread);
            thread.start();
        }
        for (Thread thread : appenders) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** Records passed, summed over plugins and partitions (offsets are contiguous: next offset = records passed). */
    private static long passed(Database db, String topic) throws Exception {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COALESCE(SUM(next_offset), 0) FROM kafka_cursor WHERE topic = ?")) {
                ps.setString(1, topic);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static NodeConfig config(String jdbcUrl, Path policyDir, String bootstrap, String run) throws Exception {
        Path dir = Files.createTempDirectory("twinbridge-bench-scaleout");
        String yaml = "node: { id: bench, data-dir: " + quoted(dir.resolve("data")) + " }\n"
                + "storage: { url: " + quoted(jdbcUrl) + ", user: postgres }\n"
                + "keys: { keystore: " + quoted(dir.resolve("keys.p12")) + ", password-env: TWINBRIDGE_BENCH_UNUSED }\n"
                + "plugins: { dir: " + quoted(dir.resolve("plugins")) + " }\n"
                + "policies: { dir: " + quoted(policyDir) + " }\n"
                + "journal: { type: kafka, bootstrap: " + quoted(bootstrap) + ", topic: " + run + ", partitions: "
                + PARTITIONS + ", group: " + run + " }\n";
        return new ConfigLoader(Map.of()).parse("bench", dir, new StringReader(yaml));
    }

    private static String quoted(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
