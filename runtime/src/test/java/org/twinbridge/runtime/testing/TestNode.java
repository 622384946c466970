package org.twinbridge.runtime.testing;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.journal.DeviceRegistry;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.storage.Database;

/** Keys, database and journal for storage-level tests, on H2 or PostgreSQL. */
public record TestNode(NodeKeys keys, Database db, PatientIndex patients, JdbcJournal journal)
        implements AutoCloseable {

    public static final FhirContext FHIR = FhirContext.forR4Cached();

    public static TestNode open(Path dir, Database db) throws Exception {
        NodeKeys keys = NodeKeys.init(dir.resolve("keys.p12"), "test-password".toCharArray());
        PatientIndex patients = new PatientIndex(keys.identifierHashes());
        return new TestNode(keys, db, patients, new JdbcJournal(db, keys.recordCipher(), patients,
                new DeviceRegistry(keys.identifierHashes()), FHIR, SensitivityLabels::none));
    }

    @Override
    public void close() {
        db.close();
    }
}
