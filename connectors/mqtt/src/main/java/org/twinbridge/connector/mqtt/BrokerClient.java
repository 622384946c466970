package org.twinbridge.connector.mqtt;

import java.util.List;

/**
 * The one MQTT session the connector holds, over Paho's MQTT 3.1.1 client or its MQTT 5 client: both with
 * automatic acknowledgement switched off, so that {@link ManualAckMqttConsumer} sends each PUBACK only after the
 * commit. The consumer's batching, ack and reconnect rules are written once against this interface.
 *
 * <p>Implementations hand the listener only what the connector needs from a message (topic, payload, packet id,
 * QoS). MQTT 5 properties (user properties, content type, correlation data) may carry PHI and never leave the
 * client: they are neither mapped nor logged.
 */
interface BrokerClient {

    /** What the client reports to the consumer, on Paho's threads. */
    interface Listener {
        /** A PUBLISH arrived; it stays unacknowledged until {@link #acknowledge}. May block to push back. */
        void messageArrived(String topic, byte[] payload, int messageId, int qos) throws InterruptedException;

        /** A connection is up; {@code reconnect} when Paho's automatic reconnect made it. */
        void connectComplete(boolean reconnect);

        /** The connection ended without the consumer asking. */
        void connectionLost();
    }

    /** Opens a connection resuming the persistent session; throws if one is already up or being made. */
    void connect() throws BrokerException;

    /** Subscribes to every filter at QoS 1, waiting for the broker's answer. */
    void subscribe(List<String> filters) throws BrokerException;

    /** Sends the PUBACK of a delivered message (from any thread). */
    void acknowledge(int messageId, int qos) throws BrokerException;

    /**
     * Drops the connection without a DISCONNECT packet, so that the broker keeps the session and redelivers every
     * unacknowledged message on the next connection.
     */
    void dropConnection() throws BrokerException;

    /** Ends the connection politely: the session (and its queue) stays with the broker. */
    void disconnect() throws BrokerException;

    /** Releases the client's threads and sockets. */
    void close() throws BrokerException;

    boolean isConnected();

    /** A client for the settings' protocol, reporting to the listener. */
    static BrokerClient create(MqttSettings settings, Listener listener, int receiveMaximum) throws BrokerException {
        return settings.protocol() == MqttSettings.Protocol.MQTT5
                ? new PahoV5Client(settings, listener, receiveMaximum)
                : new PahoV3Client(settings, listener);
    }
}
