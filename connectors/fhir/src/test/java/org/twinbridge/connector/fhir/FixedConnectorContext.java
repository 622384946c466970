package org.twinbridge.connector.fhir;

import org.twinbridge.sdk.connector.Checkpoints;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;

/** A connector context whose parts are fixed at construction, for tests. */
record FixedConnectorContext(String connectorId, ConnectorSettings settings, String journalUri,
        Checkpoints checkpoints) implements ConnectorContext {
}
