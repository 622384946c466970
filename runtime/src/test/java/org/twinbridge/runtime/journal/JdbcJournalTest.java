package org.twinbridge.runtime.journal;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.sdk.model.CanonicalRecord;

class JdbcJournalTest {

    private static final String CANARY = "CANARY-Ezekiel-Quimby";
    @TempDir
    Path dir;
    private TestNode node;
    private String pgUrl;

    private TestNode open(String database) throws Exception {
        if (database.equals("postgresql")) {
            pgUrl = TestDatabases.createPostgres();
            node = TestNode.open(dir, TestDatabases.postgres(pgUrl));
        } else {
            node = TestNode.open(dir, TestDatabases.embedded(dir));
        }
        return node;
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

    private static Patient patient(String id) {
        Patient p = new Patient();
        p.setId(id);
        p.addName().setFamily(CANARY);
        p.addIdentifier().setSystem("urn:mrn").setValue("MRN-" + id);
        return p;
    }

    private static Observation heartRate(String id, String patientId, int value) {
        Observation o = new Observation();
        o.setId(id);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        o.setSubject(new Reference("Patient/" + patientId));
        o.setValue(new Quantity().setValue(value).setUnit("/min"));
        return o;
    }

    private List<JournalEntry> readAll() throws Exception {
        return node.db().inTransaction(c -> node.journal().readAfter(c, 0, 1000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void append_sameRecordTwice_storesItOnce(String database) throws Exception {
        open(database);
        CanonicalRecord record = CanonicalRecord.of("ehr", "Observation/1", heartRate("1", "p1", 80));

        AppendResult first = node.journal().append(List.of(record, record));
        AppendResult again = node.journal().append(List.of(
                CanonicalRecord.of("ehr", "Observation/1", heartRate("1", "p1", 80))));

        assertThat(first).isEqualTo(new AppendResult(1, 1));
        assertThat(again).isEqualTo(new AppendResult(0, 1));
        assertThat(readAll()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void concurrentAppends_eachReturnsItsOwnCounts_andEveryRecordIsJournalledOnceInOneOrder(String database)
            throws Exception {
        open(database);
        int threads = 8;
        int perThread = 25;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<AppendResult>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int added = 0;
                    int duplicates = 0;
                    for (int i = 0; i < perThread; i++) {
                        // Each thread also repeats a record every thread sends, so duplicates race across callers.
                        AppendResult r = node.journal().append(List.of(
                                CanonicalRecord.of("ehr", "Observation/t" + thread + "-" + i,
                                        heartRate("t" + thread + "-" + i, "p" + (i % 3), 60 + i)),
                                CanonicalRecord.of("ehr", "Observation/shared-" + i,
                                        heartRate("shared-" + i, "p1", 100))));
                        added += r.added();
                        duplicates += r.duplicates();
                    }
                    return new AppendResult(added, duplicates);
                }));
            }
            int added = 0;
            int duplicates = 0;
            for (java.util.concurrent.Future<AppendResult> r : results) {
                added += r.get(2, java.util.concurrent.TimeUnit.MINUTES).added();
                duplicates += r.get().duplicates();
            }

            List<JournalEntry> entries = readAll();
            assertThat(entries).hasSize(threads * perThread + perThread);
            assertThat(entries).extracting(JournalEntry::recordId).doesNotHaveDuplicates();
            assertThat(entries).extracting(JournalEntry::seq).isSorted();
            assertThat(added).isEqualTo(entries.size());
            assertThat(duplicates).isEqualTo((threads - 1) * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void append_insideATransactionOnSqlite_failsAtOnce_insteadOfWaitingForItself() throws Exception {
        open("sqlite");
        CanonicalRecord record = CanonicalRecord.of("ehr", "Observation/1", heartRate("1", "p1", 80));

        assertThatThrownBy(() -> node.db().inTransaction(c -> node.journal().append(List.of(record))))
                .hasMessageStartingWith("TB-STORAGE-003");
        assertThat(node.journal().append(List.of(record)).added()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void append_changedContentOrOtherConnector_isANewRecord(String database) throws Exception {
        open(database);

        node.journal().append(List.of(CanonicalRecord.of("ehr", "Observation/1", heartRate("1", "p1", 80))));
        node.journal().append(List.of(CanonicalRecord.of("ehr", "Observation/1", heartRate("1", "p1", 81))));
        node.journal().append(List.of(CanonicalRecord.of("ehr2", "Observation/1", heartRate("1", "p1", 81))));

        assertThat(readAll()).extracting(JournalEntry::seq).isSorted().hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void append_linksRecordsOfOnePatientToOneKey_andKeepsConnectorsApart(String database) throws Exception {
        open(database);

        node.journal().append(List.of(
                CanonicalRecord.of("ehr", "Patient/p1", patient("p1")),
                CanonicalRecord.of("ehr", "Observation/1", heartRate("1", "p1", 80)),
                CanonicalRecord.of("ehr", "Observation/2", heartRate("2", "p2", 90)),
                CanonicalRecord.of("lab", "Observation/3", heartRate("3", "p1", 70))));

        List<JournalEntry> entries = readAll();
        assertThat(entries.get(1).patientKey()).isEqualTo(entries.get(0).patientKey()).isPresent();
        assertThat(entries.get(2).patientKey()).isPresent().isNotEqualTo(entries.get(0).patientKey());
        assertThat(entries.get(3).patientKey()).as("local ids are scoped to their connector")
                .isPresent().isNotEqualTo(entries.get(0).patientKey());
    }

    @Test
    void append_aPatientSeenThroughTwoSourcesWithTheSameMrn_linksToOneKey() throws Exception {
        open("sqlite");

        node.journal().append(List.of(CanonicalRecord.of("ehr", "Patient/p1", patient("p1"))));
        Patient sameMrn = patient("other-local-id");
        sameMrn.getIdentifierFirstRep().setValue("MRN-p1");
        node.journal().append(List.of(CanonicalRecord.of("lab", "Patient/x", sameMrn)));

        List<JournalEntry> entries = readAll();
        assertThat(entries.get(1).patientKey()).isEqualTo(entries.get(0).patientKey());
    }

    @Test
    void storage_holdsNoClearTextPhi() throws Exception {
        open("sqlite");
        node.journal().append(List.of(CanonicalRecord.of("ehr", "Patient/p1", patient("p1"))));
        node.close();
        node = null;

        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(file.getFileName().toString()).doesNotContain(CANARY).doesNotContain("MRN-p1");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void read_ciphertextsSwappedBetweenRows_failAuthentication(String database) throws Exception {
        open(database);
        node.journal().append(List.of(
                CanonicalRecord.of("ehr", "Observation/1", heartRate("1", "p1", 80)),
                CanonicalRecord.of("ehr", "Observation/2", heartRate("2", "p1", 90))));

        node.db().inTransaction(c -> {
            List<byte[]> payloads = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM journal ORDER BY seq");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    payloads.add(rs.getBytes(1));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE journal SET payload = ? WHERE seq = ?")) {
                ps.setBytes(1, payloads.get(1));
                ps.setLong(2, 1);
                ps.executeUpdate();
            }
            return null;
        });

        assertThatThrownBy(this::readAll).isInstanceOf(RecordCipher.TamperedDataException.class)
                .hasMessageContaining("TB-CRYPTO-003");
    }

    @Test
    void read_afterTheCodeListsChange_labelsRecordsJournalledUnderTheOldLists() throws Exception {
        open("sqlite");
        java.util.concurrent.atomic.AtomicReference<SensitivityLabels> lists =
                new java.util.concurrent.atomic.AtomicReference<>(SensitivityLabels.none());
        JdbcJournal journal = new JdbcJournal(node.db(), node.keys().dataKeys(), node.patients(),
                new DeviceRegistry(node.keys().identifierHashes(), Clock.systemUTC()), TestNode.FHIR,
                JdbcJournal.Settings.labelledBy(lists::get, Clock.systemUTC()));
        Observation hivTest = heartRate("1", "p1", 1);
        hivTest.getCode().getCodingFirstRep().setSystem("urn:oid:2.16.840.1.113883.6.1/").setCode(" 56888-1 ");
        journal.append(List.of(CanonicalRecord.of("ehr", "Observation/1", hivTest)));
        assertThat(SensitivityLabels.existing(
                node.db().inTransaction(c -> journal.readAfter(c, 0, 10)).get(0).resource())).isEmpty();

        lists.set(new SensitivityLabels(List.of(
                new SensitivityLabels.Entry("HIV", "http://loinc.org", "56888-1", false))));

        Resource read = node.db().inTransaction(c -> journal.readAfter(c, 0, 10)).get(0).resource();
        assertThat(SensitivityLabels.existing(read)).containsExactly("HIV");
    }
}
