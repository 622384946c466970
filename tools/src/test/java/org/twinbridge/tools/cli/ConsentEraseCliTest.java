package org.twinbridge.tools.cli;

import org.twinbridge.runtime.journal.DeviceRegistry;
import org.twinbridge.runtime.testing.EraseTestTwin;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.audit.JdbcAuditTrail;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.consent.ConsentGate;
import org.twinbridge.runtime.consent.ConsentIntake;
import org.twinbridge.runtime.consent.RecordCipherPayloads;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.OutputTable;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.JournalEntry;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.testing.LogCapture;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * {@code twinbridge consent erase} end to end on a node on the embedded default (SQLite): a patient's records, consent, plugin state and
 * outputs exist; after erasure neither the clear text nor the ciphertext of any of them is left in the
 * database files, nothing the node can decrypt mentions the patient, the plugin was told, and the audit
 * trail shows the erasure. A second patient is untouched, which also proves the file scan can find what is
 * there.
 *
 * <p>The clear-text canaries are never on disk in the first place (payloads are encrypted), so the telling
 * check is the one for the erased rows' ciphertext, which must be gone from the database file and from its
 * write-ahead log (SQLite's secure delete zeroes it in the pages; the erasure's checkpoint empties the log).
 */
class ConsentEraseCliTest {

    private static final String ERASE = "CANARY-Erase-Me-7781";
    private static final String KEEP = "CANARY-Keep-Me-4410";
    private static final String MRN_ERASE = "MRN-ERASE-555";

    @TempDir
    Path dir;

    private Path config;
    private NodeConfig nodeConfig;
    private NodeKeys keys;

    private void prepareNode() throws Exception {
        Files.writeString(dir.resolve("pw"), "erase-test-password");
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("policy.yaml"), """
                policy-set: { id: erase-test }
                rules:
                  - id: twin-sees-everything
                    effect: permit
                    recipients: [erase-twin]
                    purposes: [TREAT]
                    resource-types: [Patient, Observation]
                    consent: required
                    pseudonymise: false
                    project:
                      Patient: [name, name.family, identifier]
                      Observation: [code, subject, "value[x]", note, note.text]
                """);
        Files.createDirectories(dir.resolve("plugins"));
        config = dir.resolve("twinbridge.yaml");
        Files.writeString(config, """
                node: { id: erase-node, data-dir: ./data }
                keys: { password-file: ./pw }
                connectors:
                  - { id: ehr, type: fhir, base-url: "http://127.0.0.1:9/fhir" }
                plugins: { dir: ./plugins, trusted: [erase-twin] }
                policies: { dir: ./policies, purposes: { erase-twin: TREAT } }
                consent: { defaults: { TREAT: deny } }
                """);
        assertThat(CliRun.of("keys", "init", "-c", config.toString()).exitCode()).isEqualTo(0);
        nodeConfig = new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(config);
        keys = NodeKeys.load(nodeConfig.keys().keystore(), "erase-test-password".toCharArray());
    }

    private static Patient patient(String id, String canary, String mrn) {
        Patient p = new Patient();
        p.setId(id);
        p.addName().setFamily(canary);
        p.addIdentifier().setSystem("urn:mrn").setValue(mrn);
        return p;
    }

    private static Observation observation(String id, String patientId, String canary) {
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        o.setSubject(new Reference("Patient/" + patientId));
        o.setValue(new Quantity().setValue(77));
        o.addNote().setText(canary + " note");
        return o;
    }

    private static Consent consent(String id, String patientId) {
        Consent c = new Consent();
        c.setId(id);
        c.setStatus(Consent.ConsentState.ACTIVE);
        c.getScope().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/consentscope")
                .setCode("patient-privacy");
        c.setPatient(new Reference("Patient/" + patientId));
        c.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        return c;
    }

    private Database openDb() {
        return Database.open(nodeConfig.storage().url(), null, null);
    }

    /** Journals both patients' records and a consent each, and delivers them to the twin. */
    private void ingestAndDeliver() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Database db = openDb()) {
            PatientIndex patients = new PatientIndex(keys.identifierHashes(), Clock.systemUTC());
            JdbcConsentRegistry registry = new JdbcConsentRegistry(TestNode.FHIR,
                    new RecordCipherPayloads(TestNode.unlinked(db, keys)), clock);
            JdbcJournal journal = new JdbcJournal(db, keys.dataKeys(), patients,
                    new DeviceRegistry(keys.identifierHashes(), clock), TestNode.FHIR, new JdbcJournal.Settings(
                    SensitivityLabels::none, new ConsentIntake(registry, JdbcAuditTrail.chainOnly(clock)), clock));
            journal.append(List.of(
                    CanonicalRecord.of("ehr", "Patient/p1", patient("p1", ERASE, MRN_ERASE)),
                    CanonicalRecord.of("ehr", "Consent/c1", consent("c1", "p1")),
                    CanonicalRecord.of("ehr", "Observation/o1", observation("o1", "p1", ERASE)),
                    CanonicalRecord.of("ehr", "Patient/p2", patient("p2", KEEP, "MRN-KEEP-666")),
                    CanonicalRecord.of("ehr", "Consent/c2", consent("c2", "p2")),
                    CanonicalRecord.of("ehr", "Observation/o2", observation("o2", "p2", KEEP))));
            Dispatcher dispatcher = new Dispatcher(db, journal, new PolicyDecisionPoint(
                    new PolicyLoader(TestNode.FHIR).load(dir.resolve("policies"))), patients, keys.pseudonyms(),
                    keys.dataKeys(), JdbcAuditTrail.chainOnly(clock), TestNode.FHIR, Dispatcher.Settings.defaults(TestNode.FHIR, clock)
                    .withConsents(ConsentGate.of(registry, nodeConfig.consent(), TestNode.FHIR, clock)));
            EraseTestTwin twin = new EraseTestTwin();
            dispatcher.dispatchBatch(new Subscriber(twin, twin.manifest(), "TREAT"), 100);
        }
    }

    /** Who (by plugin subject) each canary belongs to, from what the in-process twin received. */
    private static String subjectOf(String canary) {
        return EraseTestTwin.RECEIVED.stream().filter(r -> r.get(1).contains(canary)).map(r -> r.get(0))
                .findFirst().orElseThrow();
    }

    /**
     * How many 16-byte windows of a ciphertext occur in the files. A payload larger than a page is split across
     * overflow pages, so a long needle can be cut; hence many short needles rather than one long one. 16 random bytes do not occur by chance in a few hundred kilobytes, and the test
     * checks that the rows still present are found the same way, so a zero for erased rows is meaningful.
     */
    private static long windowsFound(String files, byte[] ciphertext) {
        long found = 0;
        for (int i = 0; i + 16 <= ciphertext.length; i++) {
            if (files.contains(text(Arrays.copyOfRange(ciphertext, i, i + 16)))) {
                found++;
            }
        }
        return found;
    }

    /** The ciphertext part (after format byte and nonce) of each stored payload of the patient or subject. */
    private List<byte[]> ciphertextSlices(String patientKey, String subject) throws SQLException {
        try (Database db = openDb(); Connection c = db.connection()) {
            List<byte[]> slices = new ArrayList<>();
            collect(c, "SELECT payload FROM journal WHERE patient_key = ?", patientKey, slices);
            collect(c, "SELECT payload FROM consent_version WHERE patient_key = ?", patientKey, slices);
            collect(c, "SELECT payload FROM plugin_state WHERE subject = ?", subject, slices);
            collect(c, "SELECT payload FROM twin_output WHERE subject = ?", subject, slices);
            return slices;
        }
    }

    private static void collect(Connection c, String sql, String key, List<byte[]> slices) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] payload = rs.getBytes(1);
                    slices.add(Arrays.copyOfRange(payload, 13, payload.length));
                }
            }
        }
    }

    private String allFileBytes() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).append('\u0000');
            }
        }
        return all.toString();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private String patientKey(String mrn) throws SQLException {
        try (Database db = openDb()) {
            return db.inTransaction(c -> new PatientIndex(keys.identifierHashes(), Clock.systemUTC()).resolveIdentifier(c, "urn:mrn",
                    mrn)).orElseThrow();
        }
    }

    @Test
    void erase_leavesNoReadableTraceOfThePatient_tellsThePlugin_andIsAudited() throws Exception {
        prepareNode();
        EraseTestTwin.RECEIVED.clear();
        Path pluginLog = Files.createTempFile("erase-twin", ".log");
        System.setProperty(EraseTestTwin.LOG_PROPERTY, pluginLog.toString());
        PluginJars.write(dir.resolve("plugins/erase-twin.jar"), EraseTestTwin.ID, EraseTestTwin.class);
        try (LogCapture logs = LogCapture.start()) {
            ingestAndDeliver();
            String erasedKey = patientKey(MRN_ERASE);
            String erasedSubject = subjectOf(ERASE);
            String keptSubject = subjectOf(KEEP);
            List<byte[]> erasedSlices = ciphertextSlices(erasedKey, erasedSubject);
            List<byte[]> keptSlices = ciphertextSlices(patientKey("MRN-KEEP-666"), keptSubject);
            assertThat(erasedSlices).as("journal x3, consent, state x2, output").hasSize(7);
            assertThat(keptSlices).hasSize(7);

            CliRun run = CliRun.of("consent", "erase", "-c", config.toString(), "--patient", "urn:mrn|" + MRN_ERASE);

            assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
            assertThat(run.out()).contains("erased: 3 journal record(s), 1 consent version(s), 2 patient-index "
                    + "link(s); 1 plugin(s): 1 notified, 1 state row(s), 1 output(s) deleted");
            assertThat(Files.readString(pluginLog)).as("the pf4j-loaded plugin was told, by its own pseudonym")
                    .contains("erase " + erasedSubject).doesNotContain("erase " + keptSubject);

            String files = allFileBytes();
            assertThat(files).doesNotContain(ERASE).doesNotContain(MRN_ERASE);
            for (byte[] ciphertext : erasedSlices) {
                assertThat(windowsFound(files, ciphertext)).as("ciphertext of an erased row left in a file").isZero();
            }
            for (byte[] ciphertext : keptSlices) {
                assertThat(windowsFound(files, ciphertext)).as("the scan finds rows that still exist").isPositive();
            }
            assertNothingReadable(erasedKey, erasedSubject);
            assertThat(logs.all()).doesNotContain(ERASE).doesNotContain(KEEP).doesNotContain(MRN_ERASE);
            assertThat(run.out() + run.err()).doesNotContain(MRN_ERASE).doesNotContain(erasedKey);

            CliRun again = CliRun.of("consent", "erase", "-c", config.toString(), "--patient", "urn:mrn|" + MRN_ERASE);
            assertThat(again.exitCode()).isEqualTo(2);
            assertThat(again.err()).contains("TB-CONSENT-021").doesNotContain(MRN_ERASE);
        } finally {
            System.clearProperty(EraseTestTwin.LOG_PROPERTY);
            Files.deleteIfExists(pluginLog);
        }
    }

    /** With the node's own keys: nothing that decrypts mentions the patient, and the audit says what happened. */
    private void assertNothingReadable(String erasedKey, String erasedSubject) throws Exception {
        Clock clock = Clock.systemUTC();
        try (Database db = openDb()) {
            PatientIndex patients = new PatientIndex(keys.identifierHashes(), Clock.systemUTC());
            JdbcJournal journal = new JdbcJournal(db, keys.dataKeys(), patients,
                    new DeviceRegistry(keys.identifierHashes(), Clock.systemUTC()), TestNode.FHIR,
                    JdbcJournal.Settings.labelledBy(SensitivityLabels::none, Clock.systemUTC()));
            List<JournalEntry> left = db.inTransaction(c -> journal.readAfter(c, 0, 1000));
            assertThat(left).isNotEmpty().allSatisfy(e -> assertThat(
                    TestNode.FHIR.newJsonParser().encodeResourceToString(e.resource())).doesNotContain(ERASE));
            assertThat(left).extracting(e -> e.patientKey().orElse("")).doesNotContain(erasedKey);
            JdbcConsentRegistry registry = new JdbcConsentRegistry(TestNode.FHIR,
                    new RecordCipherPayloads(TestNode.unlinked(db, keys)), clock);
            List<RegisteredConsent> consents = db.inTransaction(c -> registry.current(c, erasedKey));
            Optional<String> byIdentifier = db.inTransaction(c -> patients.resolveIdentifier(c, "urn:mrn", MRN_ERASE));
            Optional<String> byLocalId = db.inTransaction(c -> patients.resolve(c, "ehr", "Patient/p1"));
            assertThat(consents).isEmpty();
            assertThat(byIdentifier).isEmpty();
            assertThat(byLocalId).isEmpty();
            assertThat(new OutputTable(db, keys.dataKeys(), TestNode.FHIR).latest(EraseTestTwin.ID, 100))
                    .isNotEmpty().allSatisfy(o -> assertThat(o.subject()).isNotEqualTo(erasedSubject));
            assertThat(count(db, "SELECT COUNT(*) FROM plugin_state WHERE subject = '" + erasedSubject + "'"))
                    .isZero();
            List<String> audit = db.inTransaction(c -> {
                List<String> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT kind, subject, details FROM audit_event "
                        + "WHERE kind = 'consent.erasure'"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                    }
                }
                return rows;
            });
            assertThat(audit).singleElement().satisfies(a -> assertThat(a).startsWith("consent.erasure " + erasedKey)
                    .contains("\"journal_records\":\"3\"").contains("\"consent_versions\":\"1\"")
                    .contains("\"plugin_state_rows\":\"1\"").contains("\"twin_outputs\":\"1\"")
                    .contains("\"plugins_notified\":\"1\"").doesNotContain(ERASE)
                    .doesNotContain(MRN_ERASE));
        }
    }

    private static long count(Database db, String sql) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void erase_badOrUnknownPatientId_exits2_withoutEchoingIt() throws Exception {
        prepareNode();

        CliRun bad = CliRun.of("consent", "erase", "-c", config.toString(), "--patient", "MRN-12345");
        CliRun unknown = CliRun.of("consent", "erase", "-c", config.toString(), "--patient", "ehr:Patient/nobody");

        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("TB-CONSENT-020").doesNotContain("MRN-12345");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("TB-CONSENT-021").doesNotContain("nobody");
    }
}
