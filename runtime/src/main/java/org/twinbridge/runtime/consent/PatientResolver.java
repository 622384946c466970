package org.twinbridge.runtime.consent;

import java.sql.SQLException;
import java.util.Optional;

/** Resolves the ids operators and API callers use for a patient to the node's internal patient key. */
public interface PatientResolver {

    /** The internal key of the patient, or empty if the node does not know the patient. */
    Optional<String> patientKey(PatientId id) throws SQLException;
}
