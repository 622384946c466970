package org.twinbridge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.retry.RetryPolicy;
import org.twinbridge.policy.decision.AllowListDecisionPoint;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

class DispatcherTest {

    @TempDir
    Path dir;
    private TestNode node;

    @BeforeEach
    void open() throws Exception {
        node = TestNode.open(dir, database(dir));
    }

    /** The database this suite runs on: SQLite here, PostgreSQL in {@link DispatcherOnPostgresTest}. */
    Database database(Path dir) {
        return TestDatabases.embedded(dir);
    }

    /** Called after the node closed its pool. */
    void dropDatabase() {
    }

    @AfterEach
    void close() {
        node.close();
        dropDatabase();
    }

    /** A twin that remembers what it received and runs a per-test action on each record. */
    static class RecordingTwin implements TwinModel {
        final String id;
        final List<AuthorisedRecord> received = new ArrayList<>();
        final BiConsumer<AuthorisedRecord, TwinContext> action;

        RecordingTwin(String id, BiConsumer<AuthorisedRecord, TwinContext> action) {
            this.id = id;
            this.action = action;
        }

        @Override
        public PluginManifest manifest() {
            return new PluginManifest(id, "1.0.0", "test", "records what it receives",
                    new DataRequest(Set.of("Patient", "Observation"), Set.of(), Set.of("TREAT")),
                    List.of(OutputKind.OBSERVATION));
        }

        @Override
        public void onRecord(AuthorisedRecord record, TwinContext context) {
            action.accept(record, context);
            received.add(record);
        }

        @Override
        public void onErase(String subject, TwinContext context) {
        }
    }

    private Dispatcher dispatcher(Map<String, List<String>> allow) {
        return new Dispatcher(node.db(), node.journal(), new AllowListDecisionPoint(allow), node.patients(),
                node.keys().pseudonyms(), node.keys().dataKeys(), node.audit(), TestNode.FHIR,
                Dispatcher.Settings.defaults(TestNode.FHIR, Clock.systemUTC()));
    }

    private static Subscriber subscribe(RecordingTwin twin) {
        return new Subscriber(twin, twin.manifest(), "TREAT");
    }

    private void journal(int observations) throws Exception {
        node.journal().append(QuimbyHeartRates.records(observations));
    }

    private long count(String sql) throws Exception {
        return node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void dispatch_deliversOnlyWhatTheAllowListGrants_underAStablePseudonym() throws Exception {
        journal(2);
        RecordingTwin twin = new RecordingTwin("twin-a", (r, c) -> { });

        dispatcher(Map.of("twin-a", List.of("Observation"))).dispatchBatch(subscribe(twin), 100);

        assertThat(twin.received).extracting(AuthorisedRecord::resourceType).containsExactly("Observation",
                "Observation");
        assertThat(twin.received).extracting(AuthorisedRecord::subject).doesNotContain("p1")
                .containsOnly(twin.received.get(0).subject());
        Observation first = (Observation) twin.received.get(0).resource();
        assertThat(first.getSubject().getReference()).isEqualTo("Patient/" + twin.received.get(0).subject());
        assertThat(DeliveryStats.read(node.db()).get("twin-a")).satisfies(p -> {
            assertThat(p.delivered()).isEqualTo(2);
            assertThat(p.denied()).isEqualTo(1);
            assertThat(p.position()).isEqualTo(3);
        });
        assertThat(count("SELECT COUNT(*) FROM decision_log WHERE plugin_id = 'twin-a'")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM decision_log WHERE outcome = 'PERMIT' AND receipt_id = '"
                + twin.received.get(1).receiptId() + "'")).isEqualTo(1);
    }

    @Test
    void dispatch_twoPlugins_getUnlinkableSubjects() throws Exception {
        journal(1);
        RecordingTwin a = new RecordingTwin("twin-a", (r, c) -> { });
        RecordingTwin b = new RecordingTwin("twin-b", (r, c) -> { });
        Dispatcher dispatcher = dispatcher(Map.of("twin-a", List.of("Observation"), "twin-b", List.of("Observation")));

        dispatcher.dispatchBatch(subscribe(a), 100);
        dispatcher.dispatchBatch(subscribe(b), 100);

        assertThat(a.received.get(0).subject()).isNotEqualTo(b.received.get(0).subject());
    }

    @Test
    void dispatch_pluginThatThrowsAfterWritingState_commitsNoneOfIt_andMovesOn() throws Exception {
        journal(2);
        RecordingTwin failing = new RecordingTwin("twin-a", (record, context) -> {
            context.state().put(record.subject(), "last", "written before the failure");
            context.emit(new TwinOutput(record.subject(), OutputKind.OBSERVATION, new Observation(), "x"));
            if (((Observation) record.resource()).getValueQuantity().getValue().intValue() == 61) {
                throw new IllegalStateException("boom with record content 61");
            }
        });

        new Dispatcher(node.db(), node.journal(), new AllowListDecisionPoint(Map.of("twin-a", List.of("Observation"))),
                node.patients(), node.keys().pseudonyms(), node.keys().dataKeys(), node.audit(), TestNode.FHIR,
                new Dispatcher.Settings(Clock.systemUTC(), org.twinbridge.runtime.consent.ConsentGate.defaultsOnly(
                        org.twinbridge.consent.model.ConsentSettings.standard(), TestNode.FHIR, Clock.systemUTC()),
                RetryPolicy.parkImmediately())).dispatchBatch(subscribe(failing), 100);

        DeliveryStats.PluginCounters counters = DeliveryStats.read(node.db()).get("twin-a");
        assertThat(counters.failed()).isEqualTo(1);
        assertThat(counters.delivered()).isEqualTo(1);
        assertThat(counters.position()).isEqualTo(3);
        assertThat(counters.outputs()).as("only the successful delivery's output").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM plugin_state")).as("only the successful delivery's state").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM parked_delivery WHERE error_kind = "
                + "'java.lang.IllegalStateException' AND status = 'PARKED'")).isEqualTo(1);
    }

    @Test
    void dispatch_stateFromOneDelivery_isVisibleInTheNext_andEncryptedAtRest() throws Exception {
        journal(3);
        List<String> seen = new ArrayList<>();
        RecordingTwin counting = new RecordingTwin("twin-a", (record, context) -> {
            String before = context.state().get(record.subject(), "count").orElse("0");
            seen.add(before);
            context.state().put(record.subject(), "count", String.valueOf(Integer.parseInt(before) + 1));
        });

        dispatcher(Map.of("twin-a", List.of("Observation"))).dispatchBatch(subscribe(counting), 100);

        assertThat(seen).containsExactly("0", "1", "2");
        byte[] stored = node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM plugin_state");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        });
        // Not a substring check: random ciphertext contains the byte '3' about one run in nine.
        assertThat(stored).as("format byte, nonce, one encrypted byte, tag").hasSize(1 + 12 + 1 + 16);
        assertThat(stored[0]).isEqualTo((byte) 1);
    }

    @Test
    void dispatch_acrossARestart_neitherRedeliversNorSkips() throws Exception {
        journal(5);
        RecordingTwin before = new RecordingTwin("twin-a", (r, c) -> { });
        dispatcher(Map.of("twin-a", List.of("Observation"))).dispatchBatch(subscribe(before), 3);

        RecordingTwin after = new RecordingTwin("twin-a", (r, c) -> { });
        Dispatcher restarted = dispatcher(Map.of("twin-a", List.of("Observation")));
        while (restarted.dispatchBatch(subscribe(after), 2) > 0) {
            // drain
        }

        List<Integer> values = new ArrayList<>();
        before.received.forEach(r -> values.add(((Observation) r.resource()).getValueQuantity().getValue().intValue()));
        after.received.forEach(r -> values.add(((Observation) r.resource()).getValueQuantity().getValue().intValue()));
        assertThat(values).containsExactly(61, 62, 63, 64, 65);
    }

    @Test
    void dispatch_recordsTheManifestDoesNotAskFor_areSkippedWithoutADecision() throws Exception {
        journal(1);
        RecordingTwin patientsOnly = new RecordingTwin("twin-a", (r, c) -> { }) {
            @Override
            public PluginManifest manifest() {
                return new PluginManifest(id, "1.0.0", "test", "patients only",
                        new DataRequest(Set.of("Patient"), Set.of(), Set.of("TREAT")), List.of());
            }
        };

        dispatcher(Map.of("twin-a", List.of("Patient", "Observation"))).dispatchBatch(subscribe(patientsOnly), 100);

        assertThat(patientsOnly.received).extracting(AuthorisedRecord::resourceType).containsExactly("Patient");
        Patient view = (Patient) patientsOnly.received.get(0).resource();
        assertThat(view.hasName()).isFalse();
        assertThat(DeliveryStats.read(node.db()).get("twin-a").notRequested()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM decision_log")).isEqualTo(1);
    }

    @Test
    void dispatch_everyDecisionIsAnAuditEntry_andEachReceiptResolvesToIt_withoutPhi() throws Exception {
        journal(2);
        RecordingTwin twin = new RecordingTwin("twin-a", (r, c) -> { });

        dispatcher(Map.of("twin-a", List.of("Observation"))).dispatchBatch(subscribe(twin), 100);

        var entry = node.db().inTransaction(c ->
                org.twinbridge.runtime.audit.JdbcAuditLog.byReceipt(c, twin.received.get(0).receiptId())).orElseThrow();
        assertThat(entry.kind()).isEqualTo("decision");
        assertThat(entry.outcome()).contains("PERMIT");
        assertThat(entry.plugin()).contains("twin-a");
        assertThat(entry.purpose()).contains("TREAT");
        assertThat(entry.details()).containsEntry("delivery", "delivered")
                .containsEntry("pseudonym", twin.received.get(0).subject())
                .containsKeys("policy_version", "rules", "transforms", "journal_seq");
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE kind = 'decision' AND outcome = 'DENY' "
                + "AND plugin_id = 'twin-a'")).as("the Patient record is denied").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE details LIKE '%Quimby%'")).isZero();
        var verification = node.db().inTransaction(c -> org.twinbridge.runtime.audit.JdbcAuditLog.verify(c,
                node.keys().auditVerifier(), TestNode.NODE_ID));
        assertThat(verification.intact()).isTrue();
        assertThat(verification.decisionRowsChecked()).isEqualTo(3);
    }

    @Test
    void dispatch_pluginStateAndOutputs_areEncryptedWithThePluginsOwnDataKey() throws Exception {
        journal(1);
        RecordingTwin a = new RecordingTwin("twin-a", (record, context) -> {
            context.state().put(record.subject(), "k", "v");
            context.emit(new TwinOutput(record.subject(), OutputKind.OBSERVATION, new Observation(), "x"));
        });
        RecordingTwin b = new RecordingTwin("twin-b", (record, context) -> context.state().put(record.subject(), "k",
                "v"));
        Dispatcher dispatcher = dispatcher(Map.of("twin-a", List.of("Observation"), "twin-b", List.of("Observation")));

        dispatcher.dispatchBatch(subscribe(a), 100);
        dispatcher.dispatchBatch(subscribe(b), 100);

        assertThat(count("SELECT COUNT(DISTINCT key_id) FROM plugin_state")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM plugin_state s JOIN data_key k ON k.key_id = s.key_id "
                + "WHERE k.owner = 'plugin/' || s.plugin_id")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM twin_output o JOIN data_key k ON k.key_id = o.key_id "
                + "WHERE k.owner = 'plugin/twin-a'")).isEqualTo(1);
        assertThat(new OutputTable(node.db(), node.keys().dataKeys(), TestNode.FHIR).latest("twin-a", 10)).hasSize(1);
    }
}
