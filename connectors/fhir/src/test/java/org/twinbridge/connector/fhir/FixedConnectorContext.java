package org.twinbridge.connector.fhir;

import org.twinbridge.sdk.connector.Checkpoints;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;

/** A connector context whose parts are fixed at construction, for tests. */
record FixedConnectorContext(String connectorId, ConnectorSettings settings, String journalUri,
        Checkpoints checkpoints) implements ConnectorContext {

    @Override
    public String nodeId() {
        return "test-node";
    }

    /** The FHIR connector writes no dead letters; a test that made it try would fail on this missing route. */
    @Override
    public String deadLetterUri() {
        return "direct:no-dead-letters-in-fhir-tests";
    }
}
