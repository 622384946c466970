package org.twinbridge.runtime.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Told about each record the journal adds, inside the journal's transaction and after the record row is
 * written, so that what it derives commits or rolls back with the record (the consent registry takes Consent
 * resources this way). A listener must not throw for bad content, which would block its source forever: it
 * records the problem and returns. An SQLException rolls the whole append back, and the source retries.
 */
@FunctionalInterface
public interface JournalListener {

    /** Ignores every record. */
    JournalListener NONE = (connection, record, patientKey) -> { };

    /**
     * @param record     the record as the connector handed it over (before labelling)
     * @param patientKey the patient it was linked to, if any
     */
    void added(Connection connection, CanonicalRecord record, Optional<String> patientKey) throws SQLException;
}
