package org.twinbridge.tools.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.embedded.fhir.EmbeddedFhirServer;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.tools.load.AckLedger;
import org.twinbridge.tools.load.DeviceFeed;
import org.twinbridge.tools.load.EhrFeed;
import org.twinbridge.tools.load.Feed;
import org.twinbridge.tools.load.LabFeed;
import org.twinbridge.tools.load.Reconciliation;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.testplugins.CountingTwin;
import org.twinbridge.testplugins.RestrictedCountingTwin;

/**
 * Crash consistency: a node in its own JVM, fed at once by a lab over MLLP, wearables over MQTT (QoS 1) and an
 * EHR its FHIR connector polls, is killed with SIGKILL at random (seeded, logged) moments, cycle after cycle,
 * and restarted each time. Then a last node catches up, and the test checks: every message a sender saw
 * acknowledged is in the journal; every journal record was delivered exactly once to each plugin allowed to see
 * it (counted by the plugin in its own state store); nothing was delivered that policy denies.
 *
 * <p>Seed and cycles: {@code -Dtwinbridge.crash.seed=N}, {@code -Dtwinbridge.crash.cycles=N} (default 10).
 */
class CrashConsistencyIT {

    private static final int CYCLES = Integer.getInteger("twinbridge.crash.cycles", 10);

    @TempDir
    Path dir;

    @Test
    void sigkilledNode_onTheEmbeddedDefault_losesNothingAcknowledged_andDeliversEachRecordExactlyOnce() throws Exception {
        // The embedded default (SQLite), as a newcomer's node opens it: the file ConfigLoader names in the data dir.
        crashCycles("url: \"jdbc:sqlite:./db/twinbridge.db\"", "SQLite");
    }

    @Test
    void sigkilledNode_onPostgres_losesNothingAcknowledged_andDeliversEachRecordExactlyOnce() throws Exception {
        String url = TestDatabases.createPostgres();
        try {
            crashCycles("url: \"" + url + "\", user: postgres", "PostgreSQL");
        } finally {
            TestDatabases.dropPostgres(url);
        }
    }

    private void crashCycles(String storage, String storageName) throws Exception {
        long seed = Long.getLong("twinbridge.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("CrashConsistencyIT [%s]: seed %d, %d kill cycles (re-run with -Dtwinbridge.crash.seed=%d)%n",
                storageName, seed, CYCLES, seed);
        try (TestBroker broker = TestBroker.start(); EmbeddedFhirServer ehr = EmbeddedFhirServer.start(0)) {
            List<String> patients = EhrFeed.createPatients(ehr.store(), "crash", 3);
            ReliabilityNode layout = ReliabilityNode.prepare(dir, storage, ehr.baseUrl(), broker.url(),
                    Map.of("dev-1", patients.get(0), "dev-2", patients.get(1)));
            AckLedger labAcks = new AckLedger();
            AckLedger deviceAcks = new AckLedger();
            AckLedger ehrAcks = new AckLedger();
            LabFeed lab = new LabFeed("127.0.0.1", layout.labPort, layout.run, 4, 6, labAcks);
            // Slow enough that the readings queued for the node's session while it restarts stay well under the
            // broker's per-session queue limit (Mosquitto's max_queued_messages, 1000 by default): beyond it the
            // broker drops messages it has already acknowledged, which no subscriber can prevent.
            DeviceFeed devices = new DeviceFeed(broker.url(), layout.topicPrefix, ReliabilityNode.wearables(),
                    layout.run, 3, deviceAcks);
            EhrFeed charts = new EhrFeed(ehr.store(), patients, layout.run, 4, ehrAcks);
            List<Feed> feeds = List.of(lab, devices, charts);
            Path log = dir.resolve("node.log");
            List<String> cycleLog = new ArrayList<>();
            try {
                for (int cycle = 1; cycle <= CYCLES; cycle++) {
                    System.out.println("cycle " + cycle + ": starting a node process");
                    NodeProcess node = NodeProcess.start(layout.config, log);
                    // The first cycle always comes up, so that the node's MQTT session exists before anyone
                    // publishes; after that, one kill in four lands at a random moment of the start-up.
                    boolean duringStartup = cycle > 1 && random.nextInt(4) == 0;
                    Instant started = Instant.now();
                    if (duringStartup) {
                        Thread.sleep(300 + random.nextInt(4000));
                    } else {
                        assertThat(node.awaitReady(Duration.ofMinutes(2))).as("node started; its output:\n%s",
                                tail(node.output())).isTrue();
                        if (cycle == 1) {
                            // A broker keeps nothing published before the first subscription: wait for the
                            // node's (its connect runs in the background after "ready").
                            assertThat(node.awaitOutput(" subscribed to ", Duration.ofMinutes(2)))
                                    .as("the MQTT connector subscribed; its output:\n%s", tail(node.output()))
                                    .isTrue();
                            feeds.forEach(Feed::start);
                        }
                        Thread.sleep(2000 + random.nextInt(8000));
                    }
                    node.kill();
                    String line = String.format("cycle %2d: pid %d SIGKILLed %5d ms after launch%s; acknowledged so "
                            + "far: lab %d, devices %d, ehr %d; last refusals: lab [%s] devices [%s]", cycle, node.pid(),
                            Duration.between(started, Instant.now()).toMillis(),
                            duringStartup ? " (during start-up)" : "", labAcks.count(), deviceAcks.count(),
                            ehrAcks.count(), lab.lastFailure(), devices.lastFailure());
                    cycleLog.add(line);
                    System.out.println(line);
                }
                try (Node last = layout.startInProcess()) {
                    Thread.sleep(2000);
                    for (Feed feed : feeds) {
                        assertThat(feed.stop(Duration.ofSeconds(60))).as("%s feed's last message acknowledged",
                                feed.name()).isTrue();
                    }
                    assertThat(ReliabilityNode.awaitSettled(last, Duration.ofSeconds(4), Duration.ofMinutes(3)))
                            .as("the last node caught up").isTrue();
                    NodeKeys keys = layout.keys();
                    // The broker may still hold readings queued while the node was down: wait for them to drain
                    // (a reading still missing after that is lost), then for the plugins to catch up again.
                    List<Reconciliation.SourceResult> sources = List.of();
                    Instant drainDeadline = Instant.now().plus(Duration.ofMinutes(3));
                    while (Instant.now().isBefore(drainDeadline)) {
                        Reconciliation journal = Reconciliation.readJournal(last.pipeline());
                        sources = List.of(journal.check(lab, labAcks, "lab"),
                                journal.check(devices, deviceAcks, "wards"), journal.check(charts, ehrAcks, "ehr"));
                        if (sources.stream().allMatch(r -> r.lost() == 0)) {
                            break;
                        }
                        Thread.sleep(3000);
                    }
                    assertThat(ReliabilityNode.awaitSettled(last, Duration.ofSeconds(3), Duration.ofMinutes(3)))
                            .as("the last node caught up").isTrue();
                    List<DeliveryCheck> deliveries = List.of(
                            DeliveryCheck.of(last, keys.dataKeys(), CountingTwin.ID),
                            DeliveryCheck.of(last, keys.dataKeys(), RestrictedCountingTwin.ID));
                    System.out.println(summary(storageName, seed, broker.kind(), sources, deliveries,
                            last.journal().headPosition()));

                    assertThat(sources).allSatisfy(s -> assertThat(s.missing())
                            .as("%s: acknowledged but not journalled", s.source()).isEmpty());
                    assertThat(sources).allSatisfy(s -> assertThat(s.acknowledged()).as(s.source()).isPositive());
                    assertThat(deliveries).allSatisfy(d -> assertThat(d.exact())
                            .as("%s: missing %s, duplicated %s, unexpected %s", d.plugin(), d.missing(),
                                    d.duplicated(), d.unexpected()).isTrue());
                    DeliveryCheck restricted = deliveries.get(1);
                    assertThat(restricted.counted().keySet()).as("the restricted twin saw heart rates only")
                            .allMatch(k -> k.startsWith("Observation|8867-4|"));
                    assertThat(deliveries.get(0).counted().keySet()).as("the counting twin saw lab reports")
                            .anyMatch(k -> k.startsWith("DiagnosticReport|"));
                }
            } finally {
                for (Feed feed : feeds) {
                    feed.stop(Duration.ofSeconds(1));
                }
                broker.discardSession(layout.mqttClientId);
                keepLog(log, storageName);
                keepDatabase(storageName);
            }
        }
    }

    static String summary(String storage, long seed, String broker, List<Reconciliation.SourceResult> sources,
            List<DeliveryCheck> deliveries, long journalHead) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nCrash consistency on %s (seed %d, broker %s), journal head %d%n", storage, seed,
                broker, journalHead));
        out.append(String.format("%-10s %-10s %13s %11s %6s%n", "source", "connector", "acknowledged", "journalled",
                "lost"));
        for (Reconciliation.SourceResult s : sources) {
            out.append(String.format("%-10s %-10s %13d %11d %6d%n", s.source(), s.connectorId(), s.acknowledged(),
                    s.found(), s.lost()));
        }
        out.append(String.format("%-16s %10s %15s %8s %11s %11s%n", "plugin", "permitted", "delivered once",
                "missing", "duplicated", "not allowed"));
        for (DeliveryCheck d : deliveries) {
            out.append(String.format("%-16s %10d %15d %8d %11d %11d%n", d.plugin(), d.permitted(), d.once(),
                    d.missingCount(), d.duplicatedCount(), d.unexpectedCount()));
        }
        return out.toString();
    }

    /** The node processes' output outlives the temporary directory, for whoever looks into a red run. */
    private static void keepLog(Path log, String storageName) {
        try {
            Path target = Path.of("target", "crash-consistency-" + storageName.replaceAll("\\W", "-") + ".log");
            java.nio.file.Files.copy(log, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            System.out.println("could not keep the node log: " + e);
        }
    }

    /** The SQLite database too, when kept on request ({@code -Dtwinbridge.crash.keep=true}). */
    private void keepDatabase(String storageName) {
        if (!Boolean.getBoolean("twinbridge.crash.keep") || !java.nio.file.Files.isDirectory(dir.resolve("db"))) {
            return;
        }
        try (var files = java.nio.file.Files.list(dir.resolve("db"))) {
            Path target = java.nio.file.Files.createDirectories(Path.of("target", "crash-consistency-db"));
            for (Path file : files.toList()) {
                java.nio.file.Files.copy(file, target.resolve(file.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.io.IOException e) {
            System.out.println("could not keep the database: " + e);
        }
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }
}
