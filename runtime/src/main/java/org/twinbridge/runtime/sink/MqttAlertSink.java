package org.twinbridge.runtime.sink;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes each output as FHIR JSON at QoS 1 to a topic ({@code {plugin}} and {@code {kind}} are replaced), and
 * returns once the broker acknowledged it. The resource's id is the output id, so subscribers can drop the
 * duplicates that QoS 1 and retries may bring. Connects lazily and reconnects after a failure.
 */
final class MqttAlertSink implements Sink {

    private final String broker;
    private final String topic;
    private final String clientId;
    private final Duration timeout;
    private final FhirContext fhir = FhirContext.forR4Cached();
    private MqttClient client;

    MqttAlertSink(String broker, String topic, String clientId, Duration timeout) {
        this.broker = broker;
        this.topic = topic;
        this.clientId = clientId;
        this.timeout = timeout;
    }

    @Override
    public void deliver(SinkMessage message) throws SinkException {
        String to = topic.replace("{plugin}", message.pluginId()).replace("{kind}",
                message.kind().toLowerCase(java.util.Locale.ROOT));
        byte[] payload = fhir.newJsonParser().encodeResourceToString(message.resource())
                .getBytes(StandardCharsets.UTF_8);
        try {
            connected().publish(to, payload, 1, false);
        } catch (MqttException e) {
            disconnect();
            throw SinkException.transientFailure("MQTT reason " + e.getReasonCode());
        }
    }

    private MqttClient connected() throws MqttException {
        if (client == null || !client.isConnected()) {
            disconnect();
            MqttClient fresh = new MqttClient(broker, clientId, new MemoryPersistence());
            fresh.setTimeToWait(timeout.toMillis());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
            fresh.connect(options);
            client = fresh;
        }
        return client;
    }

    private void disconnect() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(1000, 1000);
            }
            client.close();
        } catch (MqttException e) {
            // Already gone; a new client is made on the next attempt.
        }
        client = null;
    }

    @Override
    public void close() {
        disconnect();
    }
}
