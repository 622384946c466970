package org.twinbridge.tools.cli;

import org.twinbridge.runtime.journal.DeviceRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.consent.RecordCipherPayloads;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.testing.LogCapture;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.model.CanonicalRecord;

/** {@code twinbridge consent import}: linking, versions, all-or-nothing, audit, and no PHI in its output. */
class ConsentImportCliTest {

    private static final String CANARY = "CANARY-Import-Quimby";
    private static final String CONSENT = """
            {"resourceType":"Consent","id":"%s","status":"%s","patient":%s,
             "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
             "provision":{"type":"permit"}}""";

    @TempDir
    Path dir;
    private Path config;
    private NodeConfig nodeConfig;
    private NodeKeys keys;

    @BeforeEach
    void prepareNode() throws Exception {
        Files.writeString(dir.resolve("pw"), "import-test-password");
        config = dir.resolve("twinbridge.yaml");
        Files.writeString(config, """
                node: { id: import-node, data-dir: ./data }
                keys: { password-file: ./pw }
                connectors:
                  - { id: ehr, type: fhir, base-url: "http://127.0.0.1:9/fhir" }
                """);
        assertThat(CliRun.of("keys", "init", "-c", config.toString()).exitCode()).isEqualTo(0);
        nodeConfig = new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(config);
        keys = NodeKeys.load(nodeConfig.keys().keystore(), "import-test-password".toCharArray());
    }

    private static String consent(String id, String status, String patient) {
        return CONSENT.formatted(id, status, patient).replace("\n", "");
    }

    private Path bundle(String name, String consentStatus) throws Exception {
        return Files.writeString(dir.resolve(name), """
                {"resourceType":"Bundle","type":"collection","entry":[
                  {"fullUrl":"urn:uuid:5e1f","resource":{"resourceType":"Patient","name":[{"family":"%s"}],
                    "identifier":[{"system":"urn:mrn","value":"MRN-7"}]}},
                  {"resource":%s}]}""".formatted(CANARY, consent("c1", consentStatus,
                "{\"reference\":\"urn:uuid:5e1f\",\"display\":\"" + CANARY + "\"}")));
    }

    private <T> T withDb(Database.SqlWork<T> work) throws SQLException {
        try (Database db = Database.open(nodeConfig.storage().url(), null, null)) {
            return db.inTransaction(work);
        }
    }

    private List<RegisteredConsent> consentsOf(String patientKey) throws SQLException {
        return withDb(c -> new JdbcConsentRegistry(TestNode.FHIR, new RecordCipherPayloads(
                keys.dataKeys().forWriting(c, org.twinbridge.runtime.crypto.KeyOwner.unlinkedRecords())),
                Clock.systemUTC()).current(c, patientKey));
    }

    @Test
    void import_bundleWithPatient_linksByIdentifier_versionsChanges_andTheConnectorsPatientGetsIt() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            CliRun first = CliRun.of("consent", "import", "-c", config.toString(),
                    bundle("consent.json", "active").toString());
            CliRun same = CliRun.of("consent", "import", "-c", config.toString(),
                    bundle("consent.json", "active").toString());
            CliRun withdrawn = CliRun.of("consent", "import", "-c", config.toString(),
                    bundle("withdrawn.json", "inactive").toString());

            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).contains("consent.json entry[1]: Consent/c1 v1 stored (active)");
            assertThat(same.out()).contains("Consent/c1 v1 unchanged").contains("0 new version(s)");
            assertThat(withdrawn.out()).contains("withdrawn.json entry[1]: Consent/c1 v2 stored (inactive)");
            assertThat(logs.all() + first.out() + first.err() + withdrawn.out()).doesNotContain(CANARY)
                    .doesNotContain("MRN-7");
        }
        // The EHR later delivers the same person: the consent is theirs.
        try (Database db = Database.open(nodeConfig.storage().url(), null, null)) {
            PatientIndex patients = new PatientIndex(keys.identifierHashes(), Clock.systemUTC());
            org.hl7.fhir.r4.model.Patient fromEhr = new org.hl7.fhir.r4.model.Patient();
            fromEhr.setId("p99");
            fromEhr.addIdentifier().setSystem("urn:mrn").setValue("MRN-7");
            new JdbcJournal(db, keys.dataKeys(), patients, new DeviceRegistry(keys.identifierHashes(),
                    Clock.systemUTC()), TestNode.FHIR, JdbcJournal.Settings.labelledBy(SensitivityLabels::none,
                    Clock.systemUTC()))
                    .append(List.of(CanonicalRecord.of("ehr", "Patient/p99", fromEhr)));
        }
        String key = withDb(c -> new PatientIndex(keys.identifierHashes(), Clock.systemUTC()).resolve(c, "ehr", "Patient/p99"))
                .orElseThrow();
        assertThat(consentsOf(key)).extracting(RegisteredConsent::label).containsExactly("Consent/c1 v2 (import)");
        assertThat(auditRows()).containsExactly("consent.version cli:" + System.getProperty("user.name"),
                "consent.version cli:" + System.getProperty("user.name"));
    }

    @Test
    void import_ndjsonWithConnector_readsLiteralReferencesAsThatConnectorsPatients() throws Exception {
        Path ndjson = Files.writeString(dir.resolve("consents.ndjson"),
                consent("c1", "active", "{\"reference\":\"Patient/p1\"}") + "\n"
                        + consent("c2", "active", "{\"reference\":\"Patient/p2\"}") + "\n");

        CliRun run = CliRun.of("consent", "import", "-c", config.toString(), "--connector", "ehr", ndjson.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(ndjson + ":1:1: Consent/c1 v1 stored").contains(ndjson + ":2:1: Consent/c2 v1 "
                + "stored").contains("2 new version(s)");
        Optional<String> p1 = withDb(c -> new PatientIndex(keys.identifierHashes(), Clock.systemUTC()).resolve(c, "ehr", "Patient/p1"));
        assertThat(consentsOf(p1.orElseThrow())).extracting(RegisteredConsent::label)
                .containsExactly("Consent/c1 v1 (ehr)");
    }

    @Test
    void import_aConsentNoOneCanLink_exits2_namesWhereAndHow_andStoresNothing() throws Exception {
        Path good = Files.writeString(dir.resolve("good.json"), consent("c1", "active",
                "{\"identifier\":{\"system\":\"urn:mrn\",\"value\":\"MRN-1\"}}"));
        Path literal = Files.writeString(dir.resolve("literal.json"), consent("c2", "active",
                "{\"reference\":\"Patient/p1\",\"display\":\"" + CANARY + "\"}"));

        CliRun run = CliRun.of("consent", "import", "-c", config.toString(), good.toString(), literal.toString());
        CliRun badConnector = CliRun.of("consent", "import", "-c", config.toString(), "--connector", "lab",
                good.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(literal + ": TB-CONSENT-012 cannot tell whose consent this is")
                .contains("--connector ID").doesNotContain(CANARY);
        assertThat(badConnector.exitCode()).isEqualTo(2);
        assertThat(badConnector.err()).contains("TB-CONSENT-014").contains("configured: ehr");
        long stored = withDb(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM consent_version");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(stored).isZero();
    }

    @Test
    void import_notAConsentFile_exits2_withItsLocation() throws Exception {
        Path observation = Files.writeString(dir.resolve("obs.json"), """
                {"resourceType":"Observation","status":"final","code":{"text":"%s"}}""".formatted(CANARY));

        CliRun run = CliRun.of("consent", "import", "-c", config.toString(), observation.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(observation + ": TB-CONSENT-003 a Observation is not a Consent")
                .doesNotContain(CANARY);
    }

    private List<String> auditRows() throws SQLException {
        return withDb(c -> {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT kind, actor FROM audit_event WHERE kind LIKE 'consent.%' ORDER BY seq");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            return rows;
        });
    }
}
