package org.twinbridge.connector.fhir;

import org.twinbridge.sdk.connector.Checkpoints;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;

/** A connector context whose parts are fixed at construction, for tests. */
record FixedConnectorContext(String connectorId, ConnectorSettings settings, String journalUri,
        Checkpoints checkpoints, String deadLetterUri) implements ConnectorContext {

    /** A context whose dead-letter endpoint does not exist: a test that makes the connector use it fails. */
    FixedConnectorContext(String connectorId, ConnectorSettings settings, String journalUri, Checkpoints checkpoints) {
        this(connectorId, settings, journalUri, checkpoints, "direct:no-dead-letters-expected");
    }

    @Override
    public String nodeId() {
        return "test-node";
    }
}
