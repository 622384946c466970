package org.twinbridge.connector.mqtt;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.twinbridge.sdk.connector.ConnectorMonitor;

/**
 * The Camel endpoint of one MQTT connector: a consumer only. See {@link ManualAckMqttConsumer} for why the
 * connector drives the Paho client itself instead of using camel-paho-mqtt5.
 */
final class ManualAckMqttEndpoint extends DefaultEndpoint {

    private final String connectorId;
    private final MqttSettings settings;
    private final ConnectorMonitor monitor;
    private volatile ManualAckMqttConsumer consumer;

    ManualAckMqttEndpoint(String connectorId, MqttSettings settings, ConnectorMonitor monitor) {
        super("twinbridge-mqtt://" + connectorId, null);
        this.connectorId = connectorId;
        this.settings = settings;
        this.monitor = monitor;
    }

    /** Devices publish to the broker, never through the node: this endpoint is a subscription only. */
    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("TB-MQTT-001 the MQTT connector endpoint only consumes");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ManualAckMqttConsumer created = new ManualAckMqttConsumer(this, processor, connectorId, settings,
                monitor);
        configureConsumer(created);
        consumer = created;
        return created;
    }

    /** The running consumer, for tests and health; null before the route starts. */
    ManualAckMqttConsumer consumer() {
        return consumer;
    }

    @Override
    protected String createEndpointUri() {
        return "twinbridge-mqtt://" + connectorId;
    }

    @Override
    public boolean isRemote() {
        return true;
    }
}
