package org.twinbridge.sdk.connector;

import java.util.Set;
import org.apache.camel.RoutesBuilder;
import org.pf4j.ExtensionPoint;

/**
 * A kind of data source: FHIR server, HL7 v2 feed, MQTT devices, file drop. One instance serves every
 * connector of its {@link #type()} in a node's configuration.
 *
 * <p><b>Contract.</b> The routes built by {@link #routes} map each source message to FHIR R4 and send a
 * {@code List<CanonicalRecord>} to {@link ConnectorContext#journalUri()}. That call returns only after the
 * records are durably journalled (it throws otherwise), so a route acknowledges its source (MLLP ACK, MQTT
 * ack, poll watermark) only after it returns. A connector never drops a field silently: what it cannot map
 * goes in {@link org.twinbridge.sdk.model.CanonicalRecord#unmapped()}. It never logs message content.
 *
 * <p>Discovered with {@link java.util.ServiceLoader} for built-in connectors, or as a pf4j extension.
 */
public interface SourceConnector extends ExtensionPoint {

    /** The {@code type} value in the node configuration that selects this connector, e.g. {@code fhir}. */
    String type();

    /**
     * The settings keys this connector accepts besides {@code id} and {@code type}. The node rejects any
     * other key with its file position before {@link #routes} is called.
     */
    Set<String> settingKeys();

    /**
     * Builds the Camel routes for one configured connector.
     *
     * @throws ConnectorConfigException if a setting is missing or invalid; its message names the key
     */
    RoutesBuilder routes(ConnectorContext context) throws ConnectorConfigException;
}
