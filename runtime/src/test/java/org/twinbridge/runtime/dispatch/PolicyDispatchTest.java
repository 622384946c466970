package org.twinbridge.runtime.dispatch;

import org.twinbridge.runtime.journal.DeviceRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CanonicalRecord;

/** Dispatch under a policy set: labels applied at ingest, obligations applied at delivery, consent honoured. */
class PolicyDispatchTest {

    @TempDir
    Path dir;
    private TestNode node;
    private JdbcJournal journal;
    private Dispatcher dispatcher;

    @BeforeEach
    void open() throws Exception {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("policy.yaml"), """
                policy-set: { id: dispatch }
                rules:
                  - id: observations
                    effect: permit
                    recipients: [twin-a]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    deny-labels: [HIV]
                    shift-dates: 30
                    project: { Observation: [code, subject, "effective[x]", "value[x]"] }
                  - id: conditions-with-consent
                    effect: permit
                    recipients: [twin-a]
                    purposes: [TREAT]
                    resource-types: [Condition]
                    consent: required
                    project: { Condition: [code, subject] }
                """);
        Files.writeString(policies.resolve("labels.yaml"), """
                labels:
                  - label: HIV
                    codes: [ { system: "http://loinc.org", code: "75622-1" } ]
                """);
        PolicySet set = new PolicyLoader(TestNode.FHIR).load(policies);
        node = TestNode.open(dir, database(dir));
        journal = new JdbcJournal(node.db(), node.keys().dataKeys(), node.patients(),
                new DeviceRegistry(node.keys().identifierHashes(), Clock.systemUTC()), TestNode.FHIR,
                JdbcJournal.Settings.labelledBy(set::labels, Clock.systemUTC()));
        dispatcher = new Dispatcher(node.db(), journal, new PolicyDecisionPoint(set), node.patients(),
                node.keys().pseudonyms(), node.keys().dataKeys(), node.audit(), TestNode.FHIR,
                Dispatcher.Settings.defaults(TestNode.FHIR, Clock.systemUTC()));
    }

    /** The database this suite runs on: SQLite here, PostgreSQL in {@link PolicyDispatchOnPostgresTest}. */
    org.twinbridge.runtime.storage.Database database(Path dir) {
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

    private static Observation observation(String id, String loinc, String effective) {
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode(loinc);
        o.setSubject(new Reference("Patient/p1"));
        o.setEffective(new org.hl7.fhir.r4.model.DateTimeType(effective));
        o.setValue(new Quantity().setValue(7));
        o.addIdentifier().setValue("SECRET-ID");
        return o;
    }

    @Test
    void dispatch_appliesTheRulesObligations_labelsDecide_andConsentIsRequired() throws Exception {
        Condition condition = new Condition();
        condition.setId("c1");
        condition.setSubject(new Reference("Patient/p1"));
        journal.append(List.of(
                CanonicalRecord.of("ehr", "Observation/o1", observation("o1", "8867-4", "2026-03-01T10:00:00Z")),
                CanonicalRecord.of("ehr", "Observation/o2", observation("o2", "8867-4", "2026-03-11T10:00:00Z")),
                CanonicalRecord.of("ehr", "Observation/o3", observation("o3", "75622-1", "2026-03-12T10:00:00Z")),
                CanonicalRecord.of("ehr", "Condition/c1", condition)));
        List<AuthorisedRecord> received = new ArrayList<>();
        DispatcherTest.RecordingTwin twin = new DispatcherTest.RecordingTwin("twin-a", (r, c) -> received.add(r)) {
            @Override
            public org.twinbridge.sdk.model.PluginManifest manifest() {
                return new org.twinbridge.sdk.model.PluginManifest(id, "1", "test", "all", new org.twinbridge.sdk
                        .model.DataRequest(java.util.Set.of("Observation", "Condition"), java.util.Set.of(),
                        java.util.Set.of("TREAT")), List.of());
            }
        };

        dispatcher.dispatchBatch(new Subscriber(twin, twin.manifest(), "TREAT"), 100);

        assertThat(received).hasSize(2);
        Observation first = (Observation) received.get(0).resource();
        Observation second = (Observation) received.get(1).resource();
        assertThat(first.hasIdentifier()).isFalse();
        assertThat(first.hasStatus()).as("status is not on the allow-list").isFalse();
        long days = java.time.Duration.between(first.getEffectiveDateTimeType().getValue().toInstant(),
                second.getEffectiveDateTimeType().getValue().toInstant()).toDays();
        assertThat(days).as("date shift keeps intervals").isEqualTo(10);
        long shift = java.time.Duration.between(java.time.Instant.parse("2026-03-01T10:00:00Z"),
                first.getEffectiveDateTimeType().getValue().toInstant()).toDays();
        assertThat(shift).as("a per-patient offset within the rule's ±30 days (zero is a valid draw)")
                .isBetween(-30L, 30L);
        assertThat(received.get(0).policyVersion()).startsWith("sha256:");
        assertThat(reasons()).containsEntry("Observation", List.of())
                .hasEntrySatisfying("Condition", r -> assertThat(r).singleElement().asString()
                        .contains("requires patient consent"));
        assertThat(DeliveryStats.read(node.db()).get("twin-a").denied()).as("HIV-labelled and consent-less").isEqualTo(2);
    }

    private Map<String, List<String>> reasons() throws Exception {
        return node.db().inTransaction(c -> {
            Map<String, List<String>> byType = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT j.resource_type, d.reason FROM decision_log d "
                    + "JOIN journal j ON j.seq = d.journal_seq ORDER BY d.seq"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> list = byType.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                    if (rs.getString(2) != null && !rs.getString(2).contains("default deny")
                            && !rs.getString(2).contains("no rule")) {
                        list.add(rs.getString(2));
                    }
                }
            }
            return byType;
        });
    }
}
