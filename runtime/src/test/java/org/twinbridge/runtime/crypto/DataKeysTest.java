package org.twinbridge.runtime.crypto;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.runtime.journal.JournalEntry;
import org.twinbridge.runtime.journal.PatientKeys;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.model.CanonicalRecord;

/** Per-patient data keys under the journal: tampering, rotation, re-wrap, retirement and crypto-shredding. */
class DataKeysTest {

    @TempDir
    Path dir;
    private TestNode node;
    private Database db;
    private String pgUrl;

    private TestNode open(String database) throws Exception {
        if (database.equals("postgresql")) {
            pgUrl = TestDatabases.createPostgres();
            db = TestDatabases.postgres(pgUrl);
        } else {
            db = TestDatabases.embedded(dir);
        }
        node = TestNode.open(dir, db);
        return node;
    }

    /** The same database and keystore, as the node would see them after a restart. */
    private TestNode reopen() throws Exception {
        node = TestNode.onKeystore(node.keystore(), db);
        return node;
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
        if (pgUrl != null) {
            TestDatabases.dropPostgres(pgUrl);
        }
    }

    private void journal(String patient, int observations) throws Exception {
        List<CanonicalRecord> records = new ArrayList<>();
        Patient p = new Patient();
        p.setId(patient);
        p.addIdentifier().setSystem("urn:mrn").setValue("MRN-" + patient);
        records.add(CanonicalRecord.of("ehr", "Patient/" + patient, p));
        for (int i = 0; i < observations; i++) {
            Observation o = new Observation();
            o.setId(patient + "-o" + i + "-" + System.nanoTime());
            o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
            o.setSubject(new Reference("Patient/" + patient));
            o.setValue(new Quantity().setValue(60 + i));
            records.add(CanonicalRecord.of("ehr", "Observation/" + o.getIdElement().getIdPart(), o));
        }
        node.journal().append(records);
    }

    private List<JournalEntry> readAll() throws Exception {
        return db.inTransaction(c -> node.journal().readAfter(c, 0, 10_000));
    }

    private List<String> kekOfEveryLiveKey() throws Exception {
        return db.inTransaction(c -> {
            List<String> keks = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT kek_id FROM data_key WHERE wrapped IS NOT NULL ORDER BY key_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keks.add(rs.getString(1));
                }
            }
            return keks;
        });
    }

    private long sql(String query) throws Exception {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(query); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private void update(String statement) throws Exception {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                return ps.executeUpdate();
            }
        });
    }

    private long retire(KeyId kek) throws Exception {
        try (java.sql.Connection c = db.connection()) {
            return KeyRetirement.retire(c, node.keystore(), TestNode.password(), kek);
        }
    }

    @Test
    void journal_eachPatientGetsItsOwnDataKey_wrappedByTheCurrentKek() throws Exception {
        open("sqlite");
        journal("p1", 2);
        journal("p2", 1);

        assertThat(sql("SELECT COUNT(DISTINCT key_id) FROM journal")).isEqualTo(2);
        assertThat(sql("SELECT COUNT(*) FROM data_key WHERE owner LIKE 'patient/%'")).isEqualTo(2);
        assertThat(kekOfEveryLiveKey()).containsOnly("kek-v1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void read_aFlippedByteInAJournalCiphertext_failsAuthentication(String database) throws Exception {
        open(database);
        journal("p1", 1);
        byte[] payload = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM journal WHERE seq = 2");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        });
        payload[payload.length / 2] ^= 0x01;
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE journal SET payload = ? WHERE seq = 2")) {
                ps.setBytes(1, payload);
                return ps.executeUpdate();
            }
        });

        assertThatThrownBy(this::readAll).isInstanceOf(RecordCipher.TamperedDataException.class)
                .hasMessageContaining("TB-CRYPTO-003");
    }

    @Test
    void read_wrappedKeysSwappedBetweenPatients_failToUnwrap() throws Exception {
        open("sqlite");
        journal("p1", 1);
        journal("p2", 1);
        db.inTransaction(c -> {
            List<byte[]> wrapped = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id, wrapped FROM data_key ORDER BY key_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    wrapped.add(rs.getBytes(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE data_key SET wrapped = ? WHERE key_id = ?")) {
                ps.setBytes(1, wrapped.get(1));
                ps.setString(2, ids.get(0));
                ps.executeUpdate();
                ps.setBytes(1, wrapped.get(0));
                ps.setString(2, ids.get(1));
                ps.executeUpdate();
            }
            return null;
        });

        assertThatThrownBy(this::readAll).isInstanceOf(RecordCipher.TamperedDataException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void rotation_keepsOldRecordsReadable_newKeysUseTheNewKek_andRewrapMovesTheRest(String database) throws Exception {
        open(database);
        journal("p1", 2);
        NodeKeys.rotate(node.keystore(), TestNode.password(), KeyFamily.KEK, TestNode.NODE_ID, Clock.systemUTC());
        reopen();

        journal("p2", 2);
        journal("p1", 1);

        assertThat(readAll()).hasSize(7);
        assertThat(kekOfEveryLiveKey()).containsExactlyInAnyOrder("kek-v1", "kek-v2");

        int first = db.inTransaction(c -> node.keys().dataKeys().rewrap(c, 1));
        int rest = db.inTransaction(c -> node.keys().dataKeys().rewrap(c, 100));
        int none = db.inTransaction(c -> node.keys().dataKeys().rewrap(c, 100));

        assertThat(first + rest).as("one key needed re-wrapping, in resumable batches").isEqualTo(1);
        assertThat(none).isZero();
        assertThat(kekOfEveryLiveKey()).containsOnly("kek-v2");
        assertThat(readAll()).hasSize(7);
    }

    @Test
    void retire_refusesWhileADataKeyDependsOnTheKek_andAfterRewrapRecordsStayReadableWithoutIt() throws Exception {
        open("sqlite");
        journal("p1", 2);
        NodeKeys.rotate(node.keystore(), TestNode.password(), KeyFamily.KEK, TestNode.NODE_ID, Clock.systemUTC());
        reopen();
        KeyId kek1 = KeyId.parse("kek-v1").orElseThrow();

        assertThatThrownBy(() -> retire(kek1)).hasMessageStartingWith("TB-KEYS-014");
        assertThatThrownBy(() -> retire(KeyId.parse("kek-v2").orElseThrow())).hasMessageStartingWith("TB-KEYS-013");

        db.inTransaction(c -> node.keys().dataKeys().rewrap(c, 100));
        retire(kek1);
        reopen();

        assertThat(node.keys().keyIds()).doesNotContain("kek-v1").contains("kek-v2");
        assertThat(readAll()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void destroy_makesEveryRecordOfThePatientUnreadable_andLeavesOtherPatientsAlone(String database) throws Exception {
        open(database);
        journal("p1", 3);
        journal("p2", 2);
        String p1 = readAll().get(0).patientKey().orElseThrow();
        String p1Key = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id FROM journal WHERE seq = 1");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });

        PatientKeys.Shredded shredded = db.inTransaction(c -> new PatientKeys(node.keys().dataKeys(), node.audit(), "test").destroy(c, p1));

        assertThat(shredded.journalRecords()).isEqualTo(4);
        assertThat(shredded.keyIds()).containsExactly(p1Key);
        assertThat(readAll()).hasSize(3).allSatisfy(e -> assertThat(e.patientKey()).isNotEqualTo(java.util.Optional.of(p1)));
        assertThatThrownBy(() -> db.inTransaction(c -> node.keys().dataKeys().forReading(c, p1Key)))
                .isInstanceOf(KeyDestroyedException.class).hasMessageStartingWith("TB-KEYS-020")
                .hasMessageContaining("destroyed");
        assertThat(sql("SELECT COUNT(*) FROM audit_event WHERE kind = 'keys.destroy' AND subject = '" + p1 + "'"))
                .isEqualTo(1);
        assertThat(sql("SELECT COUNT(*) FROM data_key WHERE wrapped IS NULL")).isEqualTo(1);
    }

    @Test
    void destroy_isNotUndoneByARewrap_andNewRecordsOfThePatientGetANewKey() throws Exception {
        open("sqlite");
        journal("p1", 1);
        String p1 = readAll().get(0).patientKey().orElseThrow();
        NodeKeys.rotate(node.keystore(), TestNode.password(), KeyFamily.KEK, TestNode.NODE_ID, Clock.systemUTC());
        reopen();

        db.inTransaction(c -> new PatientKeys(node.keys().dataKeys(), node.audit(), "test").destroy(c, p1));
        db.inTransaction(c -> node.keys().dataKeys().rewrap(c, 100));
        journal("p1", 1);

        assertThat(sql("SELECT COUNT(*) FROM data_key WHERE wrapped IS NULL")).isEqualTo(1);
        assertThat(readAll()).extracting(JournalEntry::seq).containsExactly(3L);
    }

    @Test
    void read_aJournalRowPointingAtAnUnknownKey_failsLoudlyInsteadOfVanishing() throws Exception {
        open("sqlite");
        journal("p1", 1);
        update("UPDATE journal SET key_id = 'dek-000000000000000000000000' WHERE seq = 2");

        assertThatThrownBy(this::readAll).isInstanceOf(KeyDestroyedException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void destroy_inATransactionThatRollsBack_destroysNothing() throws Exception {
        open("sqlite");
        journal("p1", 1);
        String p1 = readAll().get(0).patientKey().orElseThrow();

        assertThatThrownBy(() -> db.inTransaction(c -> {
            new PatientKeys(node.keys().dataKeys(), node.audit(), "test").destroy(c, p1);
            throw new IllegalStateException("erasure failed later");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(readAll()).hasSize(2);
        assertThat(sql("SELECT COUNT(*) FROM audit_event WHERE kind = 'keys.destroy'")).isZero();
    }
}
