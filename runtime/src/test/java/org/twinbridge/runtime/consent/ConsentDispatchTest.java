package org.twinbridge.runtime.consent;

import org.twinbridge.runtime.retry.RetryPolicy;
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
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.consent.model.ConsentDefaults;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.consent.model.Effect;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.load.PolicyLoader;
import java.util.Optional;
import org.twinbridge.runtime.audit.AuditQuery;
import org.twinbridge.runtime.audit.JdbcAuditLog;
import org.twinbridge.runtime.audit.JdbcAuditTrail;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.policy.PolicyHolder;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.testing.HeartRates;
import org.twinbridge.runtime.testing.LogCapture;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * Consent end to end through the journal and the Dispatcher: consents arrive as connector records, are
 * registered in the journal's transaction, and every delivery under a consent-requiring rule obeys the
 * patient's current consents, so a withdrawal stops delivery from the next record on.
 */
class ConsentDispatchTest {

    private static final String CANARY = "CANARY-Ezekiel-Quimby";
    @TempDir
    Path dir;
    private TestNode node;
    private String pgUrl;
    private JdbcJournal journal;
    private Dispatcher dispatcher;
    private final List<AuthorisedRecord> received = new ArrayList<>();
    // Runs inside the plugin's onRecord, once: what happens elsewhere while the plugin works.
    private Runnable whileThePluginRuns = () -> { };
    private Subscriber twin;
    private PolicyHolder policy;

    private void open(String database, Map<String, Effect> defaults) throws Exception {
        if (database.equals("postgresql")) {
            pgUrl = TestDatabases.createPostgres();
            node = TestNode.open(dir, TestDatabases.postgres(pgUrl));
        } else {
            node = TestNode.open(dir, TestDatabases.embedded(dir));
        }
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("policy.yaml"), """
                policy-set: { id: consent-dispatch }
                rules:
                  - id: vitals-with-consent
                    effect: permit
                    recipients: [twin-a]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    consent: required
                    project: { Observation: [code, subject, "value[x]"] }
                """);
        Clock clock = Clock.systemUTC();
        JdbcConsentRegistry registry = new JdbcConsentRegistry(TestNode.FHIR,
                new RecordCipherPayloads(TestNode.unlinked(node.db(), node.keys())), clock);
        journal = new JdbcJournal(node.db(), node.keys().dataKeys(), node.patients(),
                new DeviceRegistry(node.keys().identifierHashes(), clock), TestNode.FHIR, new JdbcJournal.Settings(
                org.twinbridge.policy.model.SensitivityLabels::none, new ConsentIntake(registry,
                JdbcAuditTrail.chainOnly(clock)), clock));
        ConsentSettings settings = new ConsentSettings(new ConsentDefaults(defaults), Map.of(), Map.of());
        policy = new PolicyHolder(new PolicyHolder.Active(
                new PolicyDecisionPoint(new PolicyLoader(TestNode.FHIR).load(policies)),
                org.twinbridge.policy.model.SensitivityLabels.none(), "consent-dispatch"));
        dispatcher = new Dispatcher(node.db(), journal, policy, node.patients(),
                node.keys().pseudonyms(), node.keys().dataKeys(), node.audit(), TestNode.FHIR,
                new Dispatcher.Settings(clock, ConsentGate.of(registry, settings, TestNode.FHIR, clock),
                        RetryPolicy.DEFAULT));
        TwinModel model = new TwinModel() {
            @Override
            public PluginManifest manifest() {
                return new PluginManifest("twin-a", "1", "test", "records observations",
                        new DataRequest(Set.of("Observation"), Set.of(), Set.of("TREAT")), List.of());
            }

            @Override
            public void onRecord(AuthorisedRecord record, TwinContext context) {
                received.add(record);
                context.state().put(record.subject(), "seen", "yes");
                Runnable meanwhile = whileThePluginRuns;
                whileThePluginRuns = () -> { };
                meanwhile.run();
            }

            @Override
            public void onErase(String subject, TwinContext context) {
            }
        };
        twin = new Subscriber(model, model.manifest(), "TREAT");
    }

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
        if (pgUrl != null) {
            TestDatabases.dropPostgres(pgUrl);
        }
    }

    private static Observation heartRate(String id, int value) {
        Observation o = HeartRates.of(id, value);
        o.addNote().setText(CANARY);
        return o;
    }

    private static Patient patient() {
        Patient p = new Patient();
        p.setId("p1");
        p.addName().setFamily(CANARY);
        return p;
    }

    private void arrive(org.hl7.fhir.r4.model.Resource... resources) throws Exception {
        List<CanonicalRecord> records = new ArrayList<>();
        for (org.hl7.fhir.r4.model.Resource r : resources) {
            records.add(CanonicalRecord.of("ehr", r.fhirType() + "/" + r.getIdElement().getIdPart(), r));
        }
        journal.append(records);
    }

    /** journal seq -> "OUTCOME | consent column", in journal order, for twin-a's observations. */
    private List<String> decisions() throws Exception {
        return node.db().inTransaction(c -> {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT outcome, consent FROM decision_log "
                    + "WHERE plugin_id = 'twin-a' ORDER BY journal_seq"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " | " + rs.getString(2));
                }
            }
            return rows;
        });
    }

    /**
     * The commit does not evaluate the policy again: it checks that the policy version that decided is still the
     * one in force. A policy reloaded while the plugin works on a record therefore commits nothing, and the group,
     * done again, is decided by the new policy.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void dispatch_policyReloadedWhileThePluginRuns_commitsNothing_andTheNewPolicyDecides(String database)
            throws Exception {
        open(database, Map.of("TREAT", Effect.PERMIT));
        arrive(patient(), Consents.of("c1", "p1", Consent.ConsentProvisionType.PERMIT), heartRate("o1", 60));
        Path stricter = Files.createDirectories(dir.resolve("policies-v2"));
        Files.writeString(stricter.resolve("policy.yaml"), """
                policy-set: { id: consent-dispatch }
                rules:
                  - id: no-vitals
                    effect: deny
                    recipients: [twin-a]
                    purposes: [TREAT]
                    resource-types: [Observation]
                """);
        PolicyDecisionPoint v2 = new PolicyDecisionPoint(new PolicyLoader(TestNode.FHIR).load(stricter));
        whileThePluginRuns = () -> policy.activate(new PolicyHolder.Active(v2,
                org.twinbridge.policy.model.SensitivityLabels.none(), "v2"));

        int processed = dispatcher.dispatchBatch(twin, 100);
        assertThat(processed).as("the group is done again, not committed").isZero();
        assertThat(decisions()).isEmpty();
        dispatcher.dispatchBatch(twin, 100);

        assertThat(received).as("the plugin saw o1 once, before the reload").hasSize(1);
        assertThat(decisions()).containsExactly("DENY | null");
    }

    /**
     * The plugin runs outside the delivery transaction, so a consent can change while it works on a record. The
     * record's delivery then commits nothing, neither decision nor the plugin's state, and when its group is done
     * again it is denied: a withdrawal stops even the record in the plugin's hands.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void dispatch_consentWithdrawnWhileThePluginRuns_commitsNothing_andTheRecordIsThenDenied(String database)
            throws Exception {
        open(database, Map.of("TREAT", Effect.PERMIT));
        arrive(patient(), Consents.of("c1", "p1", Consent.ConsentProvisionType.PERMIT), heartRate("o1", 60));
        whileThePluginRuns = () -> {
            try {
                arrive(Consents.denyObservationsTo("c2", "p1", "Device/twin-a"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        int processed = dispatcher.dispatchBatch(twin, 100);
        assertThat(processed).as("the group is done again, not committed").isZero();
        assertThat(decisions()).isEmpty();
        dispatcher.dispatchBatch(twin, 100);

        assertThat(received).as("the plugin saw o1 once, before the withdrawal reached it").hasSize(1);
        assertThat(decisions()).containsExactly(
                "DENY | Consent/c2 v1 (ehr) provision.provision[0] denies actor Device/twin-a, class Observation");
        int stateRows = node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM plugin_state WHERE plugin_id = "
                    + "'twin-a'"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(stateRows).as("the plugin's state write was not committed").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void dispatch_aConsentThatDeniesArrives_stopsDeliveryFromTheNextRecordOn_includingQueuedOnes(String database)
            throws Exception {
        open(database, Map.of("TREAT", Effect.PERMIT));
        arrive(patient(), Consents.of("c1", "p1", Consent.ConsentProvisionType.PERMIT), heartRate("o1", 60),
                heartRate("o2", 61), heartRate("o3", 62));

        dispatcher.dispatchBatch(twin, 3);
        assertThat(received).as("o1, under consent c1").hasSize(1);

        // The patient withdraws: a new consent denies Observations to this plugin. o2 and o3 are already queued.
        arrive(Consents.denyObservationsTo("c2", "p1", "Device/twin-a"));
        dispatcher.dispatchBatch(twin, 100);
        arrive(heartRate("o4", 63));
        dispatcher.dispatchBatch(twin, 100);

        assertThat(received).hasSize(1);
        assertThat(decisions()).containsExactly(
                "PERMIT | Consent/c1 v1 (ehr) provision permits everything in scope",
                "DENY | Consent/c2 v1 (ehr) provision.provision[0] denies actor Device/twin-a, class Observation",
                "DENY | Consent/c2 v1 (ehr) provision.provision[0] denies actor Device/twin-a, class Observation",
                "DENY | Consent/c2 v1 (ehr) provision.provision[0] denies actor Device/twin-a, class Observation");
    }

    /**
     * The console's "decisions their consent caused": the audit query by consent finds exactly the decisions whose
     * decision log names that consent, not those of a consent whose id merely starts the same, nor the default's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void auditQueryByConsent_findsTheDecisionsThatConsentDetermined(String database) throws Exception {
        open(database, Map.of("TREAT", Effect.PERMIT));
        arrive(patient(), heartRate("o0", 59));
        dispatcher.dispatchBatch(twin, 100);
        arrive(Consents.of("c1", "p1", Consent.ConsentProvisionType.PERMIT), heartRate("o1", 60));
        dispatcher.dispatchBatch(twin, 100);
        arrive(Consents.denyObservationsTo("c10", "p1", "Device/twin-a"), heartRate("o2", 61), heartRate("o3", 62));
        dispatcher.dispatchBatch(twin, 100);

        assertThat(decisionsBy("Consent/c1")).containsExactly("PERMIT");
        assertThat(decisionsBy("Consent/c10")).containsExactly("DENY", "DENY");
        assertThat(decisionsBy("Consent/c")).isEmpty();
        assertThat(decisionsBy("Consent/c_0")).as("LIKE wildcards in the id match only themselves").isEmpty();
        assertThat(decisions()).as("the first decision was the default's, naming no consent").hasSize(4)
                .first().asString().startsWith("PERMIT | the patient has no consent on file");
    }

    private List<String> decisionsBy(String consentId) throws Exception {
        return node.db().inTransaction(c -> JdbcAuditLog.query(c, new AuditQuery(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("decision"), Optional.empty(),
                Optional.of(consentId), 100))).stream().map(r -> r.details().get("outcome")).toList();
    }

    @Test
    void dispatch_optInConsentMadeInactive_fallsBackToTheDefault_deny() throws Exception {
        open("sqlite", Map.of());
        arrive(patient(), Consents.of("c1", "p1", Consent.ConsentProvisionType.PERMIT), heartRate("o1", 60));
        dispatcher.dispatchBatch(twin, 100);

        Consent withdrawn = Consents.of("c1", "p1", Consent.ConsentProvisionType.PERMIT);
        withdrawn.setStatus(Consent.ConsentState.INACTIVE);
        arrive(withdrawn, heartRate("o2", 61));
        dispatcher.dispatchBatch(twin, 100);

        assertThat(received).hasSize(1);
        assertThat(decisions()).containsExactly(
                "PERMIT | Consent/c1 v1 (ehr) provision permits everything in scope",
                "DENY | none of the patient's 1 consent(s) applies; no default is configured for purpose TREAT, so "
                        + "it is deny");
    }

    @Test
    void dispatch_noConsentOnFile_usesTheDefaultForThePurpose() throws Exception {
        open("sqlite", Map.of("TREAT", Effect.PERMIT));
        arrive(patient(), heartRate("o1", 60));

        dispatcher.dispatchBatch(twin, 100);

        assertThat(received).hasSize(1);
        assertThat(decisions()).containsExactly(
                "PERMIT | the patient has no consent on file; the default for purpose TREAT is permit");
    }

    @Test
    void dispatch_denyReason_namesTheConsentVersionAndProvision() throws Exception {
        open("sqlite", Map.of("TREAT", Effect.PERMIT));
        arrive(patient(), Consents.denyObservationsTo("c2", "p1", "Device/twin-a"), heartRate("o1", 60));

        dispatcher.dispatchBatch(twin, 100);

        String reason = node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT reason FROM decision_log");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(reason).isEqualTo("the permitting rule requires patient consent, and consent denies: "
                + "Consent/c2 v1 (ehr) provision.provision[0] denies actor Device/twin-a, class Observation");
    }

    @Test
    void dispatch_aConsentThatCannotBeRead_deniesRatherThanFailsOpen() throws Exception {
        open("sqlite", Map.of("TREAT", Effect.PERMIT));
        arrive(patient(), Consents.of("c1", "p1", Consent.ConsentProvisionType.PERMIT), heartRate("o1", 60));
        node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE consent_version SET version = 7")) {
                return ps.executeUpdate();
            }
        });

        dispatcher.dispatchBatch(twin, 100);

        assertThat(received).isEmpty();
        assertThat(decisions()).containsExactly("DENY | consent evaluation failed");
    }

    @Test
    void intake_consentOfAnotherConnectorsPatient_doesNotApply() throws Exception {
        open("sqlite", Map.of("TREAT", Effect.PERMIT));
        Consent fromLab = Consents.denyObservationsTo("c2", "p1", "Device/twin-a");
        journal.append(List.of(CanonicalRecord.of("lab", "Consent/c2", fromLab)));
        arrive(patient(), heartRate("o1", 60));

        dispatcher.dispatchBatch(twin, 100);

        assertThat(received).as("lab's Patient/p1 is not ehr's Patient/p1").hasSize(1);
    }

    @Test
    void intake_consentWithoutPatient_isJournalledButNotRegistered_andTheLogHoldsNoPhi() throws Exception {
        open("sqlite", Map.of("TREAT", Effect.PERMIT));
        Consent orphan = Consents.denyObservationsTo("c3", "p1", "Device/twin-a");
        orphan.setPatient(new Reference().setDisplay(CANARY));

        try (LogCapture logs = LogCapture.start()) {
            arrive(orphan, patient(), heartRate("o1", 60));
            dispatcher.dispatchBatch(twin, 100);

            assertThat(logs.all()).contains("TB-CONSENT-010").doesNotContain(CANARY).doesNotContain("c3");
        }
        assertThat(received).hasSize(1);
    }

    @Test
    void intake_newConsentVersion_isAudited_withoutContent() throws Exception {
        open("sqlite", Map.of());
        arrive(patient(), Consents.of("c1", "p1", Consent.ConsentProvisionType.PERMIT));
        Consent changed = Consents.of("c1", "p1", Consent.ConsentProvisionType.DENY);
        arrive(changed);
        arrive(Consents.of("c1", "p1", Consent.ConsentProvisionType.DENY));

        List<String> events = node.db().inTransaction(c -> {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, actor, details FROM audit_event ORDER BY seq");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // Sorted here: the trail's detail order is not part of its contract.
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " "
                            + String.join(";", new java.util.TreeSet<>(List.of(rs.getString(3).split(";")))));
                }
            }
            return rows;
        });
        assertThat(events).containsExactly(
                "consent.version node {\"consent\":\"Consent/c1\",\"source\":\"ehr\",\"status\":\"active\",\"version\":\"1\"}",
                "consent.version node {\"consent\":\"Consent/c1\",\"source\":\"ehr\",\"status\":\"active\",\"version\":\"2\"}");
    }
}
