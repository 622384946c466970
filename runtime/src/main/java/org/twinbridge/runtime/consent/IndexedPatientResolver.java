package org.twinbridge.runtime.consent;

import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.storage.Database;

/** {@link PatientResolver} through the node's patient index, one read transaction per lookup. */
public final class IndexedPatientResolver implements PatientResolver {

    private final Database db;
    private final PatientIndex index;

    public IndexedPatientResolver(Database db, PatientIndex index) {
        this.db = Objects.requireNonNull(db, "db");
        this.index = Objects.requireNonNull(index, "index");
    }

    @Override
    public Optional<String> patientKey(PatientId id) throws SQLException {
        return db.inTransaction(c -> {
            if (id instanceof PatientId.Identifier identifier) {
                return index.resolveIdentifier(c, identifier.system(), identifier.value());
            }
            PatientId.Local local = (PatientId.Local) id;
            return index.resolve(c, local.connectorId(), local.reference());
        });
    }
}
