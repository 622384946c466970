package org.twinbridge.tools.reliability;

import org.twinbridge.runtime.node.NodeTestAccess;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.twinbridge.testkit.Await;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.embedded.fhir.EmbeddedFhirServer;
import org.twinbridge.embedded.fhir.InMemoryFhirStore;
import org.twinbridge.embedded.mqtt.EmbeddedMqttBroker;
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
 * Outages of the parts around a running node, each mid-stream: PostgreSQL restarted (intake pauses with negative
 * acknowledgements and unacknowledged MQTT messages, the pool reconnects, nothing is lost), the MQTT broker
 * restarted (the persistent session brings back what was queued), and the EHR down (the FHIR watermark stays
 * where it was until a poll succeeds, then nothing is missing).
 */
class OutageIT {

    /** Restarting the machine's PostgreSQL disturbs everyone using it, so it needs CI or explicit permission. */
    private static final boolean MAY_RESTART_POSTGRES = Boolean.parseBoolean(System.getenv("TWINBRIDGE_REQUIRE_SERVICES"))
            || Boolean.parseBoolean(System.getenv("TWINBRIDGE_ALLOW_PG_RESTART"));

    @TempDir
    Path dir;

    @Test
    void postgresRestartedMidStream_intakePausesThenResumes_nothingLostNothingDuplicated() throws Exception {
        Assumptions.assumeTrue(MAY_RESTART_POSTGRES, "restarting PostgreSQL disturbs other users of this machine; "
                + "set TWINBRIDGE_ALLOW_PG_RESTART=true (CI sets TWINBRIDGE_REQUIRE_SERVICES=true) to run this test");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster")),
                "pg_ctlcluster is not installed; cannot restart PostgreSQL here");
        String url = TestDatabases.createPostgres();
        try (TestBroker broker = TestBroker.start(); EmbeddedFhirServer ehr = EmbeddedFhirServer.start(0)) {
            List<String> patients = EhrFeed.createPatients(ehr.store(), "pg-outage", 2);
            ReliabilityNode layout = ReliabilityNode.prepare(dir, "url: \"" + url + "\", user: postgres",
                    ehr.baseUrl(), broker.url(), Map.of("dev-1", patients.get(0), "dev-2", patients.get(1)));
            Feeds feeds = Feeds.of(layout, broker.url(), ehr.store(), patients);
            try (Node node = layout.startInProcess()) {
                feeds.start();
                Thread.sleep(6000);
                long labRefusedBefore = feeds.lab.refused();
                long acknowledgedBefore = feeds.acknowledged();
                restartPostgres();
                Thread.sleep(8000);
                long acknowledgedAfter = feeds.acknowledged();
                feeds.stop();
                assertThat(ReliabilityNode.awaitSettled(node, Duration.ofSeconds(4), Duration.ofMinutes(3)))
                        .as("the node caught up after the restart").isTrue();
                System.out.printf("PostgreSQL restart: lab refusals during the outage %d; acknowledged before %d, "
                        + "after %d%n", feeds.lab.refused() - labRefusedBefore, acknowledgedBefore,
                        acknowledgedAfter);
                feeds.assertNothingLost(node);
                assertDeliveredExactlyOnce(node, layout);
                assertThat(acknowledgedAfter).as("intake resumed after the restart").isGreaterThan(acknowledgedBefore);
            } finally {
                feeds.stop();
                broker.discardSession(layout.mqttClientId);
            }
        } finally {
            TestDatabases.dropPostgres(url);
        }
    }

    @Test
    void mqttBrokerRestartedMidStream_persistentSessionLosesNothing() throws Exception {
        Path brokerData = Files.createDirectories(dir.resolve("broker"));
        int brokerPort = ReliabilityNode.freePort();
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.startPersistent(brokerPort, brokerData);
        try (EmbeddedFhirServer ehr = EmbeddedFhirServer.start(0)) {
            List<String> patients = EhrFeed.createPatients(ehr.store(), "mqtt-outage", 2);
            ReliabilityNode layout = ReliabilityNode.prepare(dir.resolve("node"),
                    "url: \"jdbc:sqlite:./db/twinbridge.db\"", ehr.baseUrl(), broker.url(),
                    Map.of("dev-1", patients.get(0), "dev-2", patients.get(1)));
            AckLedger acks = new AckLedger();
            DeviceFeed devices = new DeviceFeed(broker.url(), layout.topicPrefix, ReliabilityNode.wearables(),
                    layout.run, 10, acks);
            try (Node node = layout.startInProcess()) {
                awaitSubscribed(node);
                devices.start();
                Thread.sleep(4000);
                broker.close();
                long lastBeforeStop = acks.last();
                Thread.sleep(3000);
                broker = EmbeddedMqttBroker.startPersistent(brokerPort, brokerData);
                Thread.sleep(8000);
                assertThat(devices.stop(Duration.ofSeconds(30))).isTrue();
                assertThat(ReliabilityNode.awaitSettled(node, Duration.ofSeconds(5), Duration.ofMinutes(2))).isTrue();
                Reconciliation.SourceResult result = ReliabilityNode.awaitJournalled(node, Duration.ofSeconds(90),
                        journal -> List.of(journal.check(devices, acks, "wards"))).get(0);
                Reconciliation journal = Reconciliation.readJournal(node.pipeline());
                List<Long> lostBefore = new java.util.ArrayList<>();
                List<Long> lostAfter = new java.util.ArrayList<>();
                acks.forEach(seq -> {
                    if (!journal.contains("wards", devices.journalKey(seq))) {
                        (seq <= lastBeforeStop ? lostBefore : lostAfter).add(seq);
                    }
                });
                System.out.printf("MQTT broker restart: %d acknowledged before the stop, %d in all, %d journalled; "
                        + "lost: %s accepted before the stop, %s after the restart%n", lastBeforeStop,
                        result.acknowledged(), result.found(), lostBefore, lostAfter);
                assertThat(result.acknowledged()).as("publishing resumed after the restart")
                        .isGreaterThan(lastBeforeStop);
                assertThat(lostAfter).as("acknowledged by the restarted broker but never journalled").isEmpty();
                // Moquette 0.17 writes its queues to disk but can lose the few messages it had just accepted, or
                // had sent to the node and not yet had acknowledged, at the moment it is stopped (seen: 1 in
                // 114). That is the embedded broker's limit, not the node's: the node acknowledges only after its
                // commit. Mosquitto with `persistence true` keeps them. Anything beyond a handful is a real loss.
                assertThat(lostBefore).as("lost by the broker restart itself").hasSizeLessThanOrEqualTo(3);
            } finally {
                devices.stop(Duration.ofSeconds(1));
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void ehrDown_watermarkStaysUntilAPollSucceeds_thenNothingIsMissing() throws Exception {
        InMemoryFhirStore store = new InMemoryFhirStore();
        int ehrPort = ReliabilityNode.freePort();
        EmbeddedFhirServer ehr = EmbeddedFhirServer.start(ehrPort, FhirContext.forR4Cached(), store);
        try (TestBroker broker = TestBroker.start()) {
            List<String> patients = EhrFeed.createPatients(store, "ehr-outage", 2);
            ReliabilityNode layout = ReliabilityNode.prepare(dir, "url: \"jdbc:sqlite:./db/twinbridge.db\"",
                    ehr.baseUrl(), broker.url(), Map.of("dev-1", patients.get(0), "dev-2", patients.get(1)));
            AckLedger acks = new AckLedger();
            EhrFeed charts = new EhrFeed(store, patients, layout.run, 10, acks);
            try (Node node = layout.startInProcess()) {
                charts.start();
                Optional<String> beforeOutage = awaitWatermark(node, Optional.empty());
                ehr.close();
                Thread.sleep(1500); // a poll that was under way when the server went away finishes or fails
                Optional<String> atOutage = watermark(node);
                Thread.sleep(4000); // several failed polls (every 500 ms)
                assertThat(watermark(node)).as("watermark while the EHR is down").isEqualTo(atOutage);
                ehr = EmbeddedFhirServer.start(ehrPort, FhirContext.forR4Cached(), store);
                Optional<String> afterOutage = awaitWatermark(node, atOutage);
                assertThat(charts.stop(Duration.ofSeconds(10))).isTrue();
                Thread.sleep(1500);
                assertThat(ReliabilityNode.awaitSettled(node, Duration.ofSeconds(3), Duration.ofMinutes(2))).isTrue();
                Reconciliation.SourceResult result = Reconciliation.readJournal(node.pipeline())
                        .check(charts, acks, "ehr");
                System.out.printf("EHR outage: watermark %s before, %s while down, %s after; %d charted, %d "
                        + "journalled%n", beforeOutage.orElse("-"), atOutage.orElse("-"), afterOutage.orElse("-"),
                        result.acknowledged(), result.found());
                assertThat(result.missing()).as("charted in the EHR but never journalled").isEmpty();
                assertThat(Instant.parse(afterOutage.orElseThrow()))
                        .isAfter(atOutage.map(Instant::parse).orElse(Instant.EPOCH));
            } finally {
                charts.stop(Duration.ofSeconds(1));
                broker.discardSession(layout.mqttClientId);
            }
        } finally {
            ehr.close();
        }
    }

    private static Optional<String> watermark(Node node) throws Exception {
        return NodeTestAccess.database(node).inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT checkpoint FROM connector_checkpoint "
                    + "WHERE connector_id = 'ehr' AND name = 'watermark:Observation'")) {
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** Waits for the Observation watermark to differ from {@code from}. */
    private static Optional<String> awaitWatermark(Node node, Optional<String> from) throws Exception {
        Await.until("the FHIR watermark moves from " + from.orElse("(none)"), () -> {
            Optional<String> now = watermark(node);
            return now.isPresent() && !now.equals(from);
        });
        return watermark(node);
    }

    private static void awaitSubscribed(Node node) throws Exception {
        // The device bindings are journalled by the MQTT connector's start; the subscription precedes them closely.
        Await.until("the MQTT connector comes up", () -> {
            Long wards = node.journal().countsByConnector().get("wards");
            return wards != null && wards >= 2;
        });
        Thread.sleep(1000);
    }

    private static void restartPostgres() throws Exception {
        String[] versions = Path.of("/etc/postgresql").toFile().list();
        assertThat(versions).as("/etc/postgresql").isNotEmpty();
        Process restart = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main",
                "restart").inheritIO().start();
        assertThat(restart.waitFor(120, TimeUnit.SECONDS)).as("pg_ctlcluster restart finished").isTrue();
        assertThat(restart.exitValue()).as("pg_ctlcluster restart exit code").isZero();
    }

    private static void assertDeliveredExactlyOnce(Node node, ReliabilityNode layout) throws Exception {
        NodeKeys keys = layout.keys();
        for (String plugin : List.of(CountingTwin.ID, RestrictedCountingTwin.ID)) {
            DeliveryCheck check = DeliveryCheck.of(node, keys.dataKeys(), plugin);
            assertThat(check.exact()).as("%s: missing %s, duplicated %s, unexpected %s", plugin, check.missing(),
                    check.duplicated(), check.unexpected()).isTrue();
        }
    }

    /** The three feeds of one test, with their ledgers. */
    private record Feeds(LabFeed lab, AckLedger labAcks, DeviceFeed devices, AckLedger deviceAcks, EhrFeed charts,
            AckLedger ehrAcks) {

        static Feeds of(ReliabilityNode layout, String brokerUrl, InMemoryFhirStore store, List<String> patients) {
            AckLedger labAcks = new AckLedger();
            AckLedger deviceAcks = new AckLedger();
            AckLedger ehrAcks = new AckLedger();
            return new Feeds(new LabFeed("127.0.0.1", layout.labPort, layout.run, 3, 6, labAcks), labAcks,
                    new DeviceFeed(brokerUrl, layout.topicPrefix, ReliabilityNode.wearables(), layout.run, 6,
                            deviceAcks), deviceAcks,
                    new EhrFeed(store, patients, layout.run, 4, ehrAcks), ehrAcks);
        }

        void start() {
            List.<Feed>of(lab, devices, charts).forEach(Feed::start);
        }

        long acknowledged() {
            return labAcks.count() + deviceAcks.count() + ehrAcks.count();
        }

        void stop() throws InterruptedException {
            for (Feed feed : List.<Feed>of(lab, devices, charts)) {
                feed.stop(Duration.ofSeconds(60));
            }
        }

        void assertNothingLost(Node node) throws Exception {
            for (Reconciliation.SourceResult result : ReliabilityNode.awaitJournalled(node, Duration.ofSeconds(90),
                    journal -> List.of(journal.check(lab, labAcks, "lab"), journal.check(devices, deviceAcks, "wards"),
                            journal.check(charts, ehrAcks, "ehr")))) {
                assertThat(result.missing()).as("%s: acknowledged but not journalled", result.source()).isEmpty();
            }
        }
    }
}
