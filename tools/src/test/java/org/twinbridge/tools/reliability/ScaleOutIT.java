package org.twinbridge.tools.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.PluginStates;
import org.twinbridge.runtime.journal.KafkaJournal;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.node.NodeTestAccess;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.testkit.Await;
import org.twinbridge.testkit.KafkaBroker;
import org.twinbridge.testplugins.CountingTwin;
import org.twinbridge.testplugins.RestrictedCountingTwin;

/**
 * Scale-out on Kafka, end to end (docs/scale-out.md): a KRaft broker in its own JVM, the shared PostgreSQL, an
 * ingest node in this JVM appending through the Kafka journal (directly, and through its file connector), and
 * three workers, each {@code twinbridge run} in
 * its own JVM, in one consumer group over a six-partition journal. Mid-stream one worker is SIGKILLed (the group
 * rebalances its partitions to the others) and later started again; then the broker is SIGKILLed and restarted
 * while the feed goes on. At the end every acknowledged record was delivered exactly once to each plugin allowed to
 * see it (counted by the plugins in their own state), nothing was delivered that policy denies, and the audit
 * chain the four processes wrote together verifies.
 */
class ScaleOutIT {

    private static final String NODE_ID = "scale-node";
    private static final int RECORDS = Integer.getInteger("twinbridge.scaleout.records", 1500);
    private static final int BATCH = 10;
    /** Heart rates dropped as one NDJSON file into the ingest node's file connector: the connector path to Kafka. */
    private static final int DROPPED = 30;

    @TempDir
    Path dir;

    @Test
    void threeWorkers_oneSigkilledMidStream_andTheBrokerRestarted_deliverEachRecordExactlyOnce() throws Exception {
        String url = TestDatabases.createPostgres();
        List<NodeProcess> workers = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            prepare(url, broker.bootstrap());
            try (Node ingest = Node.start(load("ingest.yaml"), keys(), ConnectorRegistry.discover(),
                    Clock.systemUTC())) {
                for (int w = 1; w <= 3; w++) {
                    workers.add(startWorker(w));
                }
                for (NodeProcess worker : workers) {
                    assertThat(worker.awaitOutput("owns journal partitions [", Duration.ofMinutes(2)))
                            .as("worker joined the group; its output:\n%s", tail(worker)).isTrue();
                }
                KafkaJournal journal = ingest.kafkaJournal().orElseThrow();
                AtomicInteger acked = new AtomicInteger();
                AtomicInteger heartRates = new AtomicInteger();
                AtomicInteger refusedAppends = new AtomicInteger();
                AtomicReference<Throwable> feedFailure = new AtomicReference<>();
                Thread feed = new Thread(() -> feed(journal, acked, heartRates, refusedAppends, feedFailure),
                        "scale-out-feed");
                feed.start();
                dropFile();

                Await.until("a third of the records acknowledged", () -> acked.get() >= RECORDS / 3, acked::get);
                workers.get(1).kill();
                System.out.println("ScaleOutIT: worker 2 SIGKILLed after " + acked.get() + " acknowledged records");
                Await.until("half of the records acknowledged", () -> acked.get() >= RECORDS / 2, acked::get);
                // The survivors took its partitions over (the group noticed within its session timeout).
                Await.until("the surviving workers own all six partitions",
                        () -> ownedBySurvivors(workers) == 6, () -> acked.get());
                workers.set(1, startWorker(2));
                Await.until("two thirds of the records acknowledged", () -> acked.get() >= 2 * RECORDS / 3,
                        acked::get);
                broker.kill();
                System.out.println("ScaleOutIT: broker SIGKILLed after " + acked.get() + " acknowledged records");
                Thread.sleep(3000);
                broker.restart();
                feed.join(Duration.ofMinutes(4).toMillis());
                assertThat(feedFailure.get()).as("the feed ended normally").isNull();
                assertThat(acked.get()).isEqualTo(RECORDS);

                Database db = NodeTestAccess.database(ingest);
                NodeKeys keys = keys();
                Await.until("the dropped file journalled and moved to done/",
                        () -> Files.exists(dir.resolve("inbox/done/heart-rates.ndjson")));
                int total = RECORDS + DROPPED;
                int heart = heartRates.get() + DROPPED;
                Await.until("every record delivered to the counting twin",
                        () -> PluginStates.read(db, keys.dataKeys(), CountingTwin.ID).size() >= total
                                && PluginStates.read(db, keys.dataKeys(), RestrictedCountingTwin.ID).size()
                                >= heart,
                        () -> PluginStates.read(db, keys.dataKeys(), CountingTwin.ID).size()
                                + PluginStates.read(db, keys.dataKeys(), RestrictedCountingTwin.ID).size());
                Thread.sleep(3000); // any duplicate still in flight would land now

                Map<String, String> counting = PluginStates.read(db, keys.dataKeys(), CountingTwin.ID);
                Map<String, String> restricted = PluginStates.read(db, keys.dataKeys(), RestrictedCountingTwin.ID);
                long duplicated = counting.values().stream().filter(v -> !v.equals("1")).count()
                        + restricted.values().stream().filter(v -> !v.equals("1")).count();
                long forbidden = restricted.keySet().stream().filter(k -> !k.contains("|8867-4|")).count();
                Map<String, Long> cursorsByWorker = cursorsByWorker(db);
                System.out.printf("ScaleOutIT: %d records acknowledged (%d heart rates, %d appends refused while "
                        + "the broker was down); counting-twin %d delivered, restricted-twin %d; duplicated %d, "
                        + "forbidden %d; last cursor movers %s%n", acked.get(), heartRates.get(), refusedAppends.get(),
                        counting.size(), restricted.size(), duplicated, forbidden, cursorsByWorker);
                assertThat(counting).as("lost: counting-twin").hasSize(total);
                assertThat(restricted).as("lost: restricted-twin").hasSize(heart);
                assertThat(duplicated).as("duplicated deliveries").isZero();
                assertThat(forbidden).as("forbidden deliveries").isZero();
                assertThat(cursorsByWorker).as("the work was shared").hasSizeGreaterThanOrEqualTo(2);
                assertThat(ingest.auditLog().verify().intact()).as("the shared audit chain verifies").isTrue();
            }
        } finally {
            for (NodeProcess worker : workers) {
                if (worker.alive()) {
                    worker.stop();
                }
            }
            TestDatabases.dropPostgres(url);
        }
    }

    /** Appends RECORDS observations of 40 patients, a third of them heart rates; retries a refused append. */
    private static void feed(KafkaJournal journal, AtomicInteger acked, AtomicInteger heartRates,
            AtomicInteger refused, AtomicReference<Throwable> failure) {
        try {
            for (int from = 0; from < RECORDS; from += BATCH) {
                List<CanonicalRecord> batch = new ArrayList<>();
                int hr = 0;
                for (int i = from; i < Math.min(RECORDS, from + BATCH); i++) {
                    boolean heartRate = i % 3 == 0;
                    hr += heartRate ? 1 : 0;
                    Observation o = new Observation();
                    o.setId("obs-" + i);
                    o.setStatus(Observation.ObservationStatus.FINAL);
                    o.getCode().addCoding().setSystem("http://loinc.org").setCode(heartRate ? "8867-4" : "9279-1");
                    o.setSubject(new Reference("Patient/scale-" + (i % 40)));
                    o.setValue(new Quantity().setValue(60 + i % 50));
                    batch.add(new CanonicalRecord("wards", "msg-" + i, o, List.of()));
                }
                while (true) {
                    try {
                        // A source acknowledges only what the journal acknowledged; what it did not, it sends again.
                        journal.append(batch);
                        break;
                    } catch (java.sql.SQLException e) {
                        refused.incrementAndGet();
                        Thread.sleep(500);
                    }
                }
                acked.addAndGet(batch.size());
                heartRates.addAndGet(hr);
                Thread.sleep(20);
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** An NDJSON file of heart rates, written under a temporary name and renamed, as operators are told to. */
    private void dropFile() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < DROPPED; i++) {
            lines.append("{\"resourceType\":\"Observation\",\"id\":\"file-").append(i)
                    .append("\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",")
                    .append("\"code\":\"8867-4\"}]},\"subject\":{\"reference\":\"Patient/file-")
                    .append(i % 4).append("\"},\"valueQuantity\":{\"value\":").append(70 + i).append("}}\n");
        }
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path part = Files.writeString(inbox.resolve("heart-rates.ndjson.part"), lines.toString());
        Files.move(part, inbox.resolve("heart-rates.ndjson"));
    }

    private int ownedBySurvivors(List<NodeProcess> workers) throws Exception {
        int owned = 0;
        for (int w : new int[] {0, 2}) {
            String out = workers.get(w).output();
            int at = out.lastIndexOf("owns journal partitions [");
            if (at < 0) {
                continue;
            }
            String list = out.substring(at + "owns journal partitions [".length(), out.indexOf(']', at));
            owned += list.isBlank() ? 0 : list.split(",").length;
        }
        return owned;
    }

    private static Map<String, Long> cursorsByWorker(Database db) throws Exception {
        return db.inTransaction(c -> {
            Map<String, Long> byWorker = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT worker, COUNT(*) FROM kafka_cursor WHERE worker IS NOT NULL GROUP BY worker");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byWorker.put(rs.getString(1), rs.getLong(2));
                }
            }
            return byWorker;
        });
    }

    private NodeProcess startWorker(int w) throws Exception {
        return NodeProcess.start(dir.resolve("worker-" + w + ".yaml"), dir.resolve("worker-" + w + ".log"));
    }

    private static String tail(NodeProcess worker) throws Exception {
        String out = worker.output();
        return out.substring(Math.max(0, out.length() - 3000));
    }

    private NodeConfig load(String file) throws Exception {
        return new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(dir.resolve(file));
    }

    private NodeKeys keys() throws Exception {
        NodeConfig config = load("ingest.yaml");
        return NodeKeys.load(config.keys().keystore(), config.keys().password().reveal());
    }

    /** Plugins, policy and keystore shared by every process; one config per process, its own data dir. */
    private void prepare(String url, String bootstrap) throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("keystore-password"), "scale-out-it");
        VendorKey vendor = PluginJars.vendor("Scale-out test vendor");
        vendor.writeCertificate(dir.resolve("trust/test-vendor.pem"));
        vendor.sign(PluginJars.write(dir.resolve("plugins/counting-twin.jar"), CountingTwin.ID, CountingTwin.class));
        vendor.sign(PluginJars.write(dir.resolve("plugins/restricted-twin.jar"), RestrictedCountingTwin.ID,
                RestrictedCountingTwin.class));
        Files.writeString(dir.resolve("policies/policy.yaml"), """
                policy-set:
                  id: scale-out
                  description: Every Observation for the counting twin; heart rates only for the restricted one.
                rules:
                  - id: counting-everything
                    effect: permit
                    recipients: [counting-twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    project:
                      Observation: [status, code, subject]
                  - id: restricted-heart-rate
                    effect: permit
                    recipients: [restricted-twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    condition: "Observation.code.coding.where(system = 'http://loinc.org' and code = '8867-4').exists()"
                    project:
                      Observation: [status, code, subject]
                """);
        // The plugins run in the worker's JVM (trusted): four JVMs instead of ten on a small CI machine. Their
        // state, outputs and cursors commit in the same transactions either way (CrashConsistencyIT covers the
        // sandboxed path).
        String common = """
                storage: { url: "%s", user: postgres }
                keys:    { keystore: ./keys.p12, password-file: ./keystore-password }
                plugins:  { dir: ./plugins, trust-store: ./trust, require-signed: true,
                            trusted: [counting-twin, restricted-twin] }
                audit:    { checkpoint-interval: 500 }
                policies: { dir: ./policies, purposes: { counting-twin: TREAT, restricted-twin: TREAT } }
                """.formatted(url);
        Files.writeString(dir.resolve("ingest.yaml"), "node: { id: " + NODE_ID + ", data-dir: ./ingest }\n" + common
                + "connectors:\n  - { id: drop, type: file, dir: ./inbox, poll: 500ms }\n"
                + "journal: { type: kafka, bootstrap: \"" + bootstrap + "\", topic: journal, partitions: 6, "
                + "group: scale-workers, work: false }\n");
        for (int w = 1; w <= 3; w++) {
            Files.writeString(dir.resolve("worker-" + w + ".yaml"), "node: { id: " + NODE_ID + ", data-dir: ./w" + w
                    + " }\n" + common + "journal: { type: kafka, bootstrap: \"" + bootstrap + "\", topic: journal, "
                    + "partitions: 6, group: scale-workers }\n");
        }
        NodeConfig ingest = load("ingest.yaml");
        NodeKeys.init(ingest.keys().keystore(), ingest.keys().password().reveal(), NODE_ID, Clock.systemUTC());
    }
}
