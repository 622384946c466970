package org.twinbridge.connector.mqtt;

/**
 * One MQTT message as Paho delivered it, waiting for its batch's commit before it is acknowledged.
 * {@link #toString()} prints the message id and size only: topics name devices, payloads hold readings.
 *
 * @param topic      the topic it arrived on
 * @param payload    its bytes, unparsed
 * @param messageId  the MQTT packet id to acknowledge
 * @param qos        its QoS (1 for this connector's subscriptions)
 * @param connection which connection of the client delivered it: a message is acknowledged only on the
 *                   connection that delivered it
 */
record InboundReading(String topic, byte[] payload, int messageId, int qos, long connection) {

    @Override
    public String toString() {
        return "InboundReading[id=" + messageId + ", qos=" + qos + ", " + payload.length + " bytes]";
    }
}
