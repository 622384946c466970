package org.twinbridge.runtime.api;

import java.sql.SQLException;
import org.twinbridge.runtime.consent.PatientId;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.node.Node;

/**
 * Resolves the patient ids callers use ({@code system|value}, or {@code connector:Patient/id}) to the node's
 * internal patient key. Problems never echo the id: it is PHI.
 */
public final class PatientLookup {

    private final Node node;
    private final PatientIndex index;

    public PatientLookup(Node node) {
        this.node = node;
        this.index = node.services().patients();
    }

    public PatientIndex index() {
        return index;
    }

    /** The internal key of a known patient; 400 for a malformed id, 404 for an unknown one. */
    public String resolve(String patient) throws ApiProblem, SQLException {
        PatientId id = PatientId.parse(patient).orElseThrow(() -> ApiProblem.badRequest("TB-API-070",
                "'patient' must be a business identifier system|value or a source-local id connector:Patient/id"));
        return node.database().inTransaction(c -> {
            if (id instanceof PatientId.Identifier identifier) {
                return index.resolveIdentifier(c, identifier.system(), identifier.value());
            }
            PatientId.Local local = (PatientId.Local) id;
            return index.resolve(c, local.connectorId(), local.reference());
        }).orElseThrow(() -> ApiProblem.notFound("TB-API-071", "no patient is known by that id"));
    }
}
