package org.twinbridge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.policy.decision.AllowListDecisionPoint;
import org.twinbridge.runtime.consent.ConsentGate;
import org.twinbridge.runtime.deadletter.DeliveryFailure;
import org.twinbridge.runtime.deadletter.ParkedDeliveries;
import org.twinbridge.runtime.retry.RetryPolicy;
import org.twinbridge.runtime.testing.MovableClock;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.StateStore;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.model.AuthorisedRecord;

/**
 * A plugin that takes records in batches ({@link BatchModel}, as a plugin process does) gets a group's records
 * in one exchange, and each record's outcome is still committed, retried or parked on its own: a record that
 * fails is parked without its writes and the rest go on; an exchange that fails as a whole blames no record of
 * several, and the record that brings the process down is the one retried and parked.
 */
class BatchDispatchTest {

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

    private Dispatcher dispatcher(RetryPolicy retry) {
        return new Dispatcher(node.db(), node.journal(),
                new AllowListDecisionPoint(Map.of("twin-a", List.of("Observation"))), node.patients(),
                node.keys().pseudonyms(), node.keys().dataKeys(), node.audit(), TestNode.FHIR,
                new Dispatcher.Settings(clock, ConsentGate.defaultsOnly(ConsentSettings.standard(), TestNode.FHIR,
                        clock), retry));
    }

    private static int value(AuthorisedRecord record) {
        return ((Observation) record.resource()).getValueQuantity().getValue().intValue();
    }

    /** Counts the records of each subject in its state, and notes each value seen; throws on {@code fails}. */
    private static void countAndNote(AuthorisedRecord record, TwinContext context, IntPredicate fails) {
        int seen = Integer.parseInt(context.state().get(record.subject(), "count").orElse("0"));
        context.state().put(record.subject(), "count", Integer.toString(seen + 1));
        context.state().put(record.subject(), "seen-" + value(record), "yes");
        if (fails.test(value(record))) {
            throw new IllegalStateException("fails on this value");
        }
    }

    @Test
    void group_crossesInOneExchange_andEachRecordSeesTheWritesOfTheOnesBefore() throws Exception {
        node.journal().append(QuimbyHeartRates.records(5));
        BatchTwin twin = new BatchTwin(v -> false, v -> false);

        assertThat(dispatcher(RetryPolicy.DEFAULT).dispatchBatch(twin.subscriber(), 100)).isEqualTo(6);

        assertThat(twin.exchanges).as("one exchange for the group's five deliveries").isEqualTo(1);
        assertThat(twin.sizes).containsExactly(5);
        assertThat(twin.applied).containsExactly(61, 62, 63, 64, 65);
        assertThat(stateValues("count")).containsExactly("5");
        assertThat(DeliveryStats.read(node.db()).get("twin-a").delivered()).isEqualTo(5);
    }

    @Test
    void recordFailingInAnExchange_isParkedWithoutItsWrites_andTheRestGoInTheNextExchange() throws Exception {
        node.journal().append(QuimbyHeartRates.records(4));
        BatchTwin twin = new BatchTwin(v -> v == 62, v -> false);

        assertThat(dispatcher(RetryPolicy.parkImmediately()).dispatchBatch(twin.subscriber(), 100)).isEqualTo(5);

        assertThat(twin.sizes).as("the whole group, then what followed the parked record").containsExactly(4, 2);
        assertThat(twin.applied).containsExactly(61, 63, 64);
        assertThat(stateValues("count")).as("the parked record's write is not counted").containsExactly("3");
        assertThat(stateValues("seen-62")).isEmpty();
        assertThat(parked()).singleElement().satisfies(p -> {
            assertThat(p.journalSeq()).isEqualTo(3);
            assertThat(p.failure().kind()).isEqualTo(DeliveryFailure.Kind.PLUGIN_EXCEPTION);
        });
    }

    @Test
    void exchangeFailingAsAWhole_blamesNoRecordOfSeveral_andTheRecordThatFailsAloneIsRetriedAndParked()
            throws Exception {
        node.journal().append(QuimbyHeartRates.records(4));
        BatchTwin twin = new BatchTwin(v -> false, v -> v == 63);
        Dispatcher dispatcher = dispatcher(new RetryPolicy(2, Duration.ofSeconds(10), Duration.ofSeconds(10)));

        assertThat(dispatcher.dispatchBatch(twin.subscriber(), 100)).as("the Patient, 61 and 62").isEqualTo(3);
        assertThat(twin.sizes).as("the group crashed, then one record at a time").containsExactly(4, 1, 1, 1);
        assertThat(twin.applied).containsExactly(61, 62);
        assertThat(parked()).isEmpty();

        clock.advance(Duration.ofSeconds(10));
        assertThat(dispatcher.dispatchBatch(twin.subscriber(), 100)).as("63 parked, 64 delivered").isEqualTo(2);
        assertThat(twin.sizes).as("the retried record alone, then the rest together")
                .containsExactly(4, 1, 1, 1, 1, 1);
        assertThat(twin.applied).containsExactly(61, 62, 64);
        assertThat(parked()).singleElement().satisfies(p -> {
            assertThat(p.journalSeq()).isEqualTo(4);
            assertThat(p.attempts()).isEqualTo(2);
            assertThat(p.failure().kind()).isEqualTo(DeliveryFailure.Kind.PROCESS_CRASHED);
        });
        assertThat(stateValues("count")).containsExactly("3");
        assertThat(DeliveryStats.read(node.db()).get("twin-a").delivered()).isEqualTo(3);
    }

    private List<ParkedDeliveries.Parked> parked() throws Exception {
        return node.db().inTransaction(c -> ParkedDeliveries.list(c, Optional.empty(), Optional.empty(), 100));
    }

    /** The plugin's stored values of {@code key}, decrypted, over all subjects. */
    private List<String> stateValues(String key) throws Exception {
        List<String> subjects = node.db().inTransaction(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT subject FROM plugin_state WHERE plugin_id = 'twin-a'");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        List<String> values = new ArrayList<>();
        for (String subject : subjects) {
            node.db().inTransaction(c -> new JdbcStateStore(c, "twin-a", node.keys().dataKeys(),
                    node.keys().dataKeys().forWriting(c, org.twinbridge.runtime.crypto.KeyOwner.plugin("twin-a")))
                    .get(subject, key)).ifPresent(values::add);
        }
        return values;
    }

    /**
     * A stand-in for a plugin process: a batch runs on a copy of the state it is sent, each record on the writes
     * of the ones before, and stops at the first record that fails; a record in {@code crashes} brings the whole
     * exchange down, as a process that dies does.
     */
    private static final class BatchTwin extends DispatcherTest.RecordingTwin implements BatchModel {
        private final IntPredicate crashes;
        private final List<Integer> sizes = new ArrayList<>();
        private final List<Integer> applied = new ArrayList<>();
        private int exchanges;

        BatchTwin(IntPredicate fails, IntPredicate crashes) {
            super("twin-a", (record, context) -> countAndNote(record, context, fails));
            this.crashes = crashes;
        }

        Subscriber subscriber() {
            return new Subscriber(this, manifest(), "TREAT");
        }

        @Override
        public void onRecord(AuthorisedRecord record, TwinContext context) {
            onRecords(List.of(record), (SubjectStates) context.state(), context.now()).get(0).applyTo(context);
        }

        @Override
        public List<Outcome> onRecords(List<AuthorisedRecord> records, SubjectStates state, Instant now) {
            exchanges++;
            sizes.add(records.size());
            Map<String, Map<String, String>> copy = new HashMap<>();
            for (AuthorisedRecord record : records) {
                copy.put(record.subject(), new HashMap<>(state.snapshot(record.subject())));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (AuthorisedRecord record : records) {
                if (crashes.test(value(record))) {
                    throw new IsolatedPluginFailure(new DeliveryFailure("plugin process",
                            DeliveryFailure.Kind.PROCESS_CRASHED));
                }
                Recorder recorder = new Recorder(copy);
                try {
                    action.accept(record, new Context(recorder, now));
                } catch (RuntimeException e) {
                    outcomes.add(context -> {
                        throw new IsolatedPluginFailure(new DeliveryFailure(e.getClass().getName(),
                                DeliveryFailure.Kind.PLUGIN_EXCEPTION));
                    });
                    return outcomes;
                }
                recorder.keep();
                outcomes.add(context -> {
                    recorder.writes.forEach((k, v) -> context.state().put(record.subject(), k, v));
                    applied.add(value(record));
                });
            }
            return outcomes;
        }
    }

    /** One record's writes, on the batch's copy of the state; kept only if the record succeeds. */
    private static final class Recorder implements StateStore {
        private final Map<String, Map<String, String>> batch;
        private final Map<String, String> writes = new java.util.LinkedHashMap<>();
        private String subject;

        Recorder(Map<String, Map<String, String>> batch) {
            this.batch = batch;
        }

        @Override
        public Optional<String> get(String subject, String key) {
            return writes.containsKey(key) && subject.equals(this.subject) ? Optional.of(writes.get(key))
                    : Optional.ofNullable(batch.getOrDefault(subject, Map.of()).get(key));
        }

        @Override
        public void put(String subject, String key, String value) {
            this.subject = subject;
            writes.put(key, value);
        }

        @Override
        public void delete(String subject, String key) {
            throw new UnsupportedOperationException();
        }

        void keep() {
            if (subject != null) {
                batch.computeIfAbsent(subject, s -> new HashMap<>()).putAll(writes);
            }
        }
    }

    private record Context(StateStore state, Instant now) implements TwinContext {
        @Override
        public String pluginId() {
            return "twin-a";
        }

        @Override
        public void emit(org.twinbridge.sdk.model.TwinOutput output) {
            throw new UnsupportedOperationException();
        }
    }
}
