package org.twinbridge.runtime.testing;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.audit.JdbcAuditTrail;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.journal.DeviceRegistry;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.storage.Database;

/**
 * Keys, database, journal and audit trail for storage-level tests, on SQLite or PostgreSQL. The keystore is a copy
 * of one made once per test JVM (creating one costs a PBKDF2 run per entry), at {@link #keystore()}, password
 * {@link #PASSWORD}.
 */
public record TestNode(NodeKeys keys, Database db, PatientIndex patients, JdbcJournal journal, JdbcAuditTrail audit,
        Path keystore) implements AutoCloseable {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    public static final String NODE_ID = "test-node";
    public static final int CHECKPOINT_INTERVAL = 10;
    private static Path template;

    public static char[] password() {
        return "test-password".toCharArray();
    }

    /** A fresh copy of the shared test keystore at {@code target}. */
    public static synchronized Path copyKeystore(Path target) throws Exception {
        if (template == null) {
            Path dir = Files.createTempDirectory("twinbridge-test-keys");
            Path made = dir.resolve("keys.p12");
            NodeKeys.init(made, password(), NODE_ID, Clock.systemUTC());
            dir.toFile().deleteOnExit();
            made.toFile().deleteOnExit();
            template = made;
        }
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(template, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    public static TestNode open(Path dir, Database db) throws Exception {
        Path keystore = copyKeystore(dir.resolve("keys.p12"));
        return onKeystore(keystore, db);
    }

    /** A node on an existing keystore (for example after a rotation). */
    public static TestNode onKeystore(Path keystore, Database db) throws Exception {
        NodeKeys keys = NodeKeys.load(keystore, password());
        PatientIndex patients = new PatientIndex(keys.identifierHashes(), Clock.systemUTC());
        JdbcAuditTrail audit = JdbcAuditTrail.signing(Clock.systemUTC(),
                new JdbcAuditTrail.CheckpointPolicy(NODE_ID, keys.auditSigner(), CHECKPOINT_INTERVAL));
        return new TestNode(keys, db, patients, new JdbcJournal(db, keys.dataKeys(), patients,
                new DeviceRegistry(keys.identifierHashes(), Clock.systemUTC()), FHIR,
                JdbcJournal.Settings.labelledBy(SensitivityLabels::none, Clock.systemUTC())), audit, keystore);
    }

    @Override
    public void close() {
        db.close();
    }

    /** The node's key for records without a patient (consents, dead letters), as a running node uses it. */
    public static org.twinbridge.runtime.crypto.RecordCipher unlinked(Database db, NodeKeys keys) {
        try {
            return db.inTransaction(c -> keys.dataKeys().forWriting(c,
                    org.twinbridge.runtime.crypto.KeyOwner.unlinkedRecords()));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
