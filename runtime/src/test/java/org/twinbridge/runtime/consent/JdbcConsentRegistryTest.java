package org.twinbridge.runtime.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.consent.jdbc.StoreOutcome;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;

/** The registry on SQLite and PostgreSQL: versions, never overwritten, encrypted and bound to their rows. */
class JdbcConsentRegistryTest {

    private static final String CANARY = "CANARY-consent-Quimby";
    @TempDir
    Path dir;
    private TestNode node;
    private String pgUrl;
    private JdbcConsentRegistry registry;

    private void open(String database) throws Exception {
        if (database.equals("postgresql")) {
            pgUrl = TestDatabases.createPostgres();
            node = TestNode.open(dir, TestDatabases.postgres(pgUrl));
        } else {
            node = TestNode.open(dir, TestDatabases.embedded(dir));
        }
        registry = new JdbcConsentRegistry(TestNode.FHIR, new RecordCipherPayloads(TestNode.unlinked(node.db(), node.keys())),
                Clock.systemUTC());
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

    private static Consent consent(String id, Consent.ConsentState status) {
        Consent consent = Consents.of(id, "p1", Consent.ConsentProvisionType.PERMIT);
        consent.setStatus(status);
        consent.getPatient().setDisplay(CANARY);
        return consent;
    }

    private StoreOutcome store(String patientKey, String source, Consent consent) throws Exception {
        return node.db().inTransaction(c -> registry.store(c, patientKey, source, consent));
    }

    private List<RegisteredConsent> current(String patientKey) throws Exception {
        return node.db().inTransaction(c -> registry.current(c, patientKey));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void store_changedConsent_isANewVersion_sameConsent_isNot(String database) throws Exception {
        open(database);

        StoreOutcome first = store("key-1", "ehr", consent("c1", Consent.ConsentState.ACTIVE));
        Consent reread = consent("c1", Consent.ConsentState.ACTIVE);
        reread.getMeta().setVersionId("7").setLastUpdated(new java.util.Date());
        StoreOutcome again = store("key-1", "ehr", reread);
        StoreOutcome withdrawn = store("key-1", "ehr", consent("c1", Consent.ConsentState.INACTIVE));

        assertThat(first).isEqualTo(new StoreOutcome("Consent/c1", 1, true, "active"));
        assertThat(again).as("server bookkeeping in meta is not a change").isEqualTo(new StoreOutcome("Consent/c1", 1,
                false, "active"));
        assertThat(withdrawn).isEqualTo(new StoreOutcome("Consent/c1", 2, true, "inactive"));
        assertThat(current("key-1")).singleElement().satisfies(c -> {
            assertThat(c.label()).isEqualTo("Consent/c1 v2 (ehr)");
            assertThat(c.resource().getStatus()).isEqualTo(Consent.ConsentState.INACTIVE);
        });
        int versions = node.db().inTransaction(c -> registry.versionCount(c, "key-1"));
        assertThat(versions).as("kept, not overwritten").isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void current_keepsSourcesApart_andFollowsAConsentMovedToAnotherPatient(String database) throws Exception {
        open(database);

        store("key-1", "ehr", consent("c1", Consent.ConsentState.ACTIVE));
        store("key-1", "lab", consent("c1", Consent.ConsentState.ACTIVE));
        store("key-1", "ehr", consent("c2", Consent.ConsentState.ACTIVE));
        store("key-2", "ehr", consent("c2", Consent.ConsentState.ACTIVE));

        assertThat(current("key-1")).extracting(RegisteredConsent::label)
                .containsExactly("Consent/c1 v1 (ehr)", "Consent/c1 v1 (lab)");
        assertThat(current("key-2")).extracting(RegisteredConsent::label).containsExactly("Consent/c2 v2 (ehr)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void erase_deletesEveryVersionOfThePatientsConsents(String database) throws Exception {
        open(database);
        store("key-1", "ehr", consent("c1", Consent.ConsentState.ACTIVE));
        store("key-1", "ehr", consent("c1", Consent.ConsentState.INACTIVE));
        store("key-2", "ehr", consent("c9", Consent.ConsentState.ACTIVE));

        int erased = node.db().inTransaction(c -> registry.erase(c, "key-1"));

        assertThat(erased).isEqualTo(2);
        assertThat(current("key-1")).isEmpty();
        assertThat(current("key-2")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void payload_movedToAnotherPatientsRow_failsAuthentication(String database) throws Exception {
        open(database);
        store("key-1", "ehr", consent("c1", Consent.ConsentState.ACTIVE));
        store("key-2", "ehr", consent("c2", Consent.ConsentState.ACTIVE));

        node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE consent_version SET patient_key = 'key-2' "
                    + "WHERE consent_id = 'Consent/c1'")) {
                return ps.executeUpdate();
            }
        });

        assertThatThrownBy(() -> current("key-2")).isInstanceOf(RecordCipher.TamperedDataException.class);
    }

    @Test
    void storage_holdsNoClearTextConsent() throws Exception {
        open("sqlite");
        store("key-1", "ehr", consent("c1", Consent.ConsentState.ACTIVE));
        long rows = node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM consent_version");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(rows).isEqualTo(1);
        node.close();
        node = null;

        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(file.getFileName().toString()).doesNotContain(CANARY);
            }
        }
    }

    @Test
    void store_consentWithoutId_isRefused() throws Exception {
        open("sqlite");
        Consent consent = consent("c1", Consent.ConsentState.ACTIVE);
        consent.setId((String) null);

        assertThatThrownBy(() -> store("key-1", "ehr", consent)).hasMessageContaining("TB-CONSENT-005");
    }
}
