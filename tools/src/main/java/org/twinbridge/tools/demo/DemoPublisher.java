package org.twinbridge.tools.demo;

import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A simulated device's MQTT publisher, as a real device would behave: QoS 1, and when the connection drops (the
 * embedded broker on a busy machine can drop a client), it reconnects and sends the unacknowledged message again.
 * A resend is harmless, since the journal stores a record once by its content. Not thread-safe.
 */
final class DemoPublisher implements AutoCloseable {

    private static final int ATTEMPTS = 10;

    private final MqttClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();

    private DemoPublisher(MqttClient client) {
        this.client = client;
        options.setCleanSession(true);
        // Generous: the demo shares its machine with everything else a newcomer runs.
        options.setConnectionTimeout(60);
        options.setKeepAliveInterval(120);
    }

    static DemoPublisher connect(String brokerUrl, String clientPrefix) throws MqttException {
        DemoPublisher publisher = new DemoPublisher(new MqttClient(brokerUrl,
                clientPrefix + "-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence()));
        publisher.client.connect(publisher.options);
        return publisher;
    }

    /** Publishes at QoS 1 and returns after the broker's ack, reconnecting and resending if the connection drops. */
    void publish(String topic, byte[] payload) throws MqttException {
        for (int attempt = 1; ; attempt++) {
            try {
                if (!client.isConnected()) {
                    client.connect(options);
                }
                client.publish(topic, payload, 1, false);
                return;
            } catch (MqttException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) throws MqttException {
        try {
            Thread.sleep(200L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, e);
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            // The demo is ending; the broker is stopped next anyway.
        }
    }
}
