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
 * <p><b>Discovery.</b> Built-in connectors are found with {@link java.util.ServiceLoader} on the node's class path.
 * A third-party connector is a pf4j extension in a signed plugin jar whose manifest says
 * {@code Plugin-Kind: connector} and lists every {@link #type()} it provides in {@code Connector-Types}; the node
 * checks the jar's signature against its trust store before loading any of its code, and loads it in a class loader
 * of its own that shows only the JDK, this SDK, HAPI FHIR, Camel, pf4j and SLF4J (docs/plugins.md, "Connector
 * plugins"). Such a connector still runs in the node's process and sees the source data it ingests: it is trusted
 * code, admitted by its signature.
 *
 * <p><b>Thread-safety.</b> The node may call {@link #routes} once per configured connector of this type, from one
 * thread at start; the routes' processors run on Camel's threads.
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
