package org.twinbridge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.deadletter.DeliveryFailure;
import org.twinbridge.runtime.deadletter.Replay;
import org.twinbridge.runtime.deadletter.ParkedDeliveries;
import org.twinbridge.runtime.retry.RetryPolicy;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.decision.AllowListDecisionPoint;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.DecisionPoint;
import org.twinbridge.runtime.consent.ConsentGate;
import org.twinbridge.runtime.testing.MovableClock;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.model.AuthorisedRecord;

/**
 * A record a plugin fails on is retried with exponential backoff, then parked in the plugin's dead-letter list
 * with a reason free of record content, and the plugin's cursor moves on; a parked record can be replayed,
 * exactly once, through the whole decision path. A plugin's backlog is read from the journal a page at a time.
 * Time is a test clock: nothing here waits.
 */
class PoisonRecordTest {

    private static final String POISON_MESSAGE = "boom, value was 61 for Quimby";

    @TempDir
    Path dir;
    private TestNode node;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void open() throws Exception {
        node = TestNode.open(dir, TestDatabases.embedded(dir));
    }

    @AfterEach
    void close() {
        node.close();
    }

    private Dispatcher dispatcher(Map<String, List<String>> allow, RetryPolicy retry) {
        return dispatcher(new AllowListDecisionPoint(allow), retry);
    }

    private Dispatcher dispatcher(DecisionPoint decisions, RetryPolicy retry) {
        return new Dispatcher(node.db(), node.journal(), decisions, node.patients(),
                node.keys().pseudonyms(), node.keys().dataKeys(), node.audit(), TestNode.FHIR,
                new Dispatcher.Settings(clock, ConsentGate.defaultsOnly(ConsentSettings.standard(), TestNode.FHIR,
                        clock), retry));
    }

    private static final Map<String, List<String>> OBSERVATIONS = Map.of("twin-a", List.of("Observation"));

    private void journal(int observations) throws Exception {
        node.journal().append(QuimbyHeartRates.records(observations));
    }

    private static int value(AuthorisedRecord record) {
        return ((Observation) record.resource()).getValueQuantity().getValue().intValue();
    }

    /** Fails on the record with value 61 while {@code poisoned} is set, counting every attempt. */
    private static DispatcherTest.RecordingTwin poisonedBy61(AtomicBoolean poisoned, AtomicInteger attempts) {
        return new DispatcherTest.RecordingTwin("twin-a", (record, context) -> {
            if (value(record) == 61) {
                attempts.incrementAndGet();
                context.state().put(record.subject(), "seen-61", "yes");
                if (poisoned.get()) {
                    throw new IllegalStateException(POISON_MESSAGE);
                }
            }
        });
    }

    private static Subscriber subscribe(DispatcherTest.RecordingTwin twin) {
        return new Subscriber(twin, twin.manifest(), "TREAT");
    }

    private long count(String sql) throws Exception {
        return node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private List<ParkedDeliveries.Parked> parked() throws Exception {
        return node.db().inTransaction(c -> ParkedDeliveries.list(c, Optional.empty(), Optional.empty(), 100));
    }

    @Test
    void failingDelivery_isRetriedWithDoublingBackoff_thenParked_andTheCursorMovesOn() throws Exception {
        journal(2);
        AtomicInteger attempts = new AtomicInteger();
        DispatcherTest.RecordingTwin twin = poisonedBy61(new AtomicBoolean(true), attempts);
        Subscriber subscriber = subscribe(twin);
        Dispatcher dispatcher = dispatcher(OBSERVATIONS,
                new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(40)));

        assertThat(dispatcher.dispatchBatch(subscriber, 100)).as("the Patient, denied; then o1 fails").isEqualTo(1);
        assertThat(attempts).hasValue(1);
        assertThat(dispatcher.dispatchBatch(subscriber, 100)).as("backing off: nothing tried").isZero();
        assertThat(attempts).hasValue(1);

        clock.advance(Duration.ofSeconds(10));
        assertThat(dispatcher.dispatchBatch(subscriber, 100)).isZero();
        assertThat(attempts).as("second attempt after 10 s").hasValue(2);
        clock.advance(Duration.ofSeconds(19));
        dispatcher.dispatchBatch(subscriber, 100);
        assertThat(attempts).as("the second pause is 20 s").hasValue(2);
        assertThat(twin.received).as("o2 waits behind o1: order is kept").isEmpty();
        assertThat(DeliveryStats.read(node.db()).get("twin-a").position()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(dispatcher.dispatchBatch(subscriber, 100)).as("o1 parked, o2 delivered").isEqualTo(2);

        assertThat(attempts).hasValue(3);
        assertThat(twin.received).extracting(PoisonRecordTest::value).containsExactly(62);
        DeliveryStats.PluginCounters counters = DeliveryStats.read(node.db()).get("twin-a");
        assertThat(counters.position()).isEqualTo(3);
        assertThat(counters.failed()).isEqualTo(1);
        assertThat(counters.delivered()).isEqualTo(1);
        assertThat(parked()).singleElement().satisfies(p -> {
            assertThat(p.pluginId()).isEqualTo("twin-a");
            assertThat(p.journalSeq()).isEqualTo(2);
            assertThat(p.attempts()).isEqualTo(3);
            assertThat(p.status()).isEqualTo(ParkedDeliveries.Status.PARKED);
            assertThat(p.failure()).isEqualTo(new DeliveryFailure("java.lang.IllegalStateException",
                    DeliveryFailure.Kind.PLUGIN_EXCEPTION));
        });
        assertThat(count("SELECT COUNT(*) FROM plugin_state WHERE state_key = 'seen-61'"))
                .as("nothing a failed attempt wrote is kept").isZero();
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE details LIKE '%parked (PLUGIN_EXCEPTION "
                + "java.lang.IllegalStateException)%'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE details LIKE '%Quimby%' OR details LIKE '%boom%'"))
                .as("the exception message is never stored").isZero();
    }

    @Test
    void deliveryThatFailsOnce_succeedsOnRetry_exactlyOnce_withNothingParked() throws Exception {
        journal(2);
        AtomicBoolean poisoned = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        DispatcherTest.RecordingTwin twin = poisonedBy61(poisoned, attempts);
        Dispatcher dispatcher = dispatcher(OBSERVATIONS, RetryPolicy.DEFAULT);

        dispatcher.dispatchBatch(subscribe(twin), 100);
        poisoned.set(false);
        clock.advance(RetryPolicy.DEFAULT.backoffAfter(1));
        dispatcher.dispatchBatch(subscribe(twin), 100);

        assertThat(attempts).hasValue(2);
        assertThat(twin.received).extracting(PoisonRecordTest::value).containsExactly(61, 62);
        assertThat(DeliveryStats.read(node.db()).get("twin-a").delivered()).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM plugin_state WHERE state_key = 'seen-61'")).isEqualTo(1);
        assertThat(parked()).isEmpty();
    }

    @Test
    void parkedRecord_resolvedByOthersWhileItsReplayDecides_isNotParked_andNotDelivered() throws Exception {
        journal(2);
        AtomicBoolean poisoned = new AtomicBoolean(true);
        DispatcherTest.RecordingTwin twin = poisonedBy61(poisoned, new AtomicInteger());
        dispatcher(OBSERVATIONS, RetryPolicy.parkImmediately()).dispatchBatch(subscribe(twin), 100);
        long id = parked().get(0).id();
        poisoned.set(false);
        DecisionPoint allow = new AllowListDecisionPoint(OBSERVATIONS);
        // Another operator drops the row after this replay has read it as parked, before it marks it replayed: from
        // another process, as the CLI is, so on a connection of its own outside this process's transactions.
        DecisionPoint racing = new DecisionPoint() {
            @Override
            public Decision decide(AccessRequest request) {
                try (java.sql.Connection otherProcess = node.db().connection()) {
                    ParkedDeliveries.resolve(otherProcess, id, ParkedDeliveries.Status.DROPPED, clock);
                    otherProcess.commit();
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                return allow.decide(request);
            }

            @Override
            public String policyVersion() {
                return allow.policyVersion();
            }
        };

        Replay replay = dispatcher(racing, RetryPolicy.parkImmediately()).replay(subscribe(twin), id);

        assertThat(replay).isInstanceOf(Replay.NotParked.class);
        assertThat(twin.received).extracting(PoisonRecordTest::value).containsExactly(62);
        assertThat(parked().get(0).status()).isEqualTo(ParkedDeliveries.Status.DROPPED);
    }

    @Test
    void parkedRecord_replayedAfterTheFix_isDeliveredThroughTheDecisionPath_exactlyOnce() throws Exception {
        journal(2);
        AtomicBoolean poisoned = new AtomicBoolean(true);
        DispatcherTest.RecordingTwin twin = poisonedBy61(poisoned, new AtomicInteger());
        Dispatcher dispatcher = dispatcher(OBSERVATIONS, RetryPolicy.parkImmediately());
        dispatcher.dispatchBatch(subscribe(twin), 100);
        long id = parked().get(0).id();

        assertThat(dispatcher.replay(subscribe(twin), id)).isInstanceOf(Replay.FailedAgain.class);
        assertThat(parked().get(0).attempts()).as("a failed replay counts as an attempt").isEqualTo(2);
        assertThat(parked().get(0).status()).isEqualTo(ParkedDeliveries.Status.PARKED);

        poisoned.set(false);
        Replay replay = dispatcher.replay(subscribe(twin), id);

        assertThat(replay).isInstanceOf(Replay.Delivered.class);
        assertThat(twin.received).extracting(PoisonRecordTest::value).containsExactly(62, 61);
        assertThat(twin.received.get(1).receiptId()).isEqualTo(((Replay.Delivered) replay).receiptId());
        assertThat(twin.received.get(1).subject()).as("the same pseudonym as a normal delivery")
                .isEqualTo(twin.received.get(0).subject());
        assertThat(parked().get(0).status()).isEqualTo(ParkedDeliveries.Status.REPLAYED);
        assertThat(dispatcher.replay(subscribe(twin), id)).as("a second replay").isInstanceOf(Replay.NotParked.class);
        assertThat(twin.received).hasSize(2);
        assertThat(count("SELECT COUNT(*) FROM plugin_state WHERE state_key = 'seen-61'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM decision_log WHERE receipt_id = '" + twin.received.get(1).receiptId()
                + "'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE details LIKE '%delivered (replay)%'")).isEqualTo(1);
    }

    @Test
    void parkedRecord_replayedAfterThePolicyChanged_isDeniedNotDelivered() throws Exception {
        journal(1);
        DispatcherTest.RecordingTwin twin = poisonedBy61(new AtomicBoolean(true), new AtomicInteger());
        dispatcher(OBSERVATIONS, RetryPolicy.parkImmediately()).dispatchBatch(subscribe(twin), 100);
        long id = parked().get(0).id();

        Replay replay = dispatcher(Map.of(), RetryPolicy.parkImmediately()).replay(subscribe(twin), id);

        assertThat(replay).isInstanceOf(Replay.Denied.class);
        assertThat(twin.received).isEmpty();
        assertThat(parked().get(0).status()).isEqualTo(ParkedDeliveries.Status.REPLAYED);
    }

    @Test
    void replay_ofAnotherPluginsParkedRecord_isRefused() throws Exception {
        journal(1);
        DispatcherTest.RecordingTwin twin = poisonedBy61(new AtomicBoolean(true), new AtomicInteger());
        Dispatcher dispatcher = dispatcher(OBSERVATIONS, RetryPolicy.parkImmediately());
        dispatcher.dispatchBatch(subscribe(twin), 100);
        DispatcherTest.RecordingTwin other = new DispatcherTest.RecordingTwin("twin-b", (r, c) -> { });

        assertThat(dispatcher.replay(subscribe(other), parked().get(0).id())).isInstanceOf(Replay.NotParked.class);
        assertThat(other.received).isEmpty();
    }

    @Test
    void laggingPlugin_holdsAtMostOnePageOfItsBacklogOnTheHeap() throws Exception {
        journal(1500);
        AtomicInteger mostSeenInFlight = new AtomicInteger();
        Dispatcher[] holder = new Dispatcher[1];
        DispatcherTest.RecordingTwin lagging = new DispatcherTest.RecordingTwin("twin-a", (record, context) ->
                mostSeenInFlight.accumulateAndGet(holder[0].inFlight().current(), Math::max)) {
            @Override
            public void onRecord(AuthorisedRecord record, org.twinbridge.sdk.TwinContext context) {
                action.accept(record, context);
            }
        };
        holder[0] = dispatcher(OBSERVATIONS, RetryPolicy.DEFAULT);

        int processed = 0;
        int page;
        while ((page = holder[0].dispatchBatch(subscribe(lagging), 100)) > 0) {
            processed += page;
        }

        assertThat(processed).isEqualTo(1501);
        assertThat(DeliveryStats.read(node.db()).get("twin-a").delivered()).isEqualTo(1500);
        assertThat(mostSeenInFlight.get()).as("seen while delivering").isBetween(1, 100);
        assertThat(holder[0].inFlight().highWater()).isEqualTo(100);
        assertThat(holder[0].inFlight().current()).isZero();
    }
}
