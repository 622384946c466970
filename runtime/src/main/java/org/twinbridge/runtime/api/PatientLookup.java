package org.twinbridge.runtime.api;

import java.sql.SQLException;
import org.twinbridge.runtime.consent.PatientId;
import org.twinbridge.runtime.consent.PatientResolver;

/**
 * Resolves the patient ids callers use ({@code system|value}, or {@code connector:Patient/id}) to the node's
 * internal patient key. Problems never echo the id: it is PHI.
 */
public final class PatientLookup {

    private final PatientResolver resolver;

    public PatientLookup(PatientResolver resolver) {
        this.resolver = resolver;
    }

    /** The internal key of a known patient; 400 for a malformed id, 404 for an unknown one. */
    public String resolve(String patient) throws ApiProblem, SQLException {
        PatientId id = PatientId.parse(patient).orElseThrow(() -> ApiProblem.badRequest("TB-API-070",
                "'patient' must be a business identifier system|value or a source-local id connector:Patient/id"));
        return resolver.patientKey(id).orElseThrow(() -> ApiProblem.notFound("TB-API-071", "no patient is known by that id"));
    }
}
