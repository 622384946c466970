package org.twinbridge.tools.reliability;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.twinbridge.embedded.mqtt.EmbeddedMqttBroker;

/**
 * The broker a reliability test uses: the machine's Mosquitto (127.0.0.1:1883, or {@code TWINBRIDGE_TEST_MQTT})
 * when CI requires services or when it answers, else an embedded Moquette broker owned by the test, which
 * outlives every node process the test kills.
 */
final class TestBroker implements AutoCloseable {

    private static final String MOSQUITTO = System.getenv().getOrDefault("TWINBRIDGE_TEST_MQTT", "127.0.0.1:1883");
    private final String url;
    private final EmbeddedMqttBroker embedded;

    private TestBroker(String url, EmbeddedMqttBroker embedded) {
        this.url = url;
        this.embedded = embedded;
    }

    static TestBroker start() {
        String[] hostPort = MOSQUITTO.split(":");
        boolean required = Boolean.parseBoolean(System.getenv("TWINBRIDGE_REQUIRE_SERVICES"));
        if (required || ReliabilityNode.listening(hostPort[0], Integer.parseInt(hostPort[1]))) {
            if (!ReliabilityNode.listening(hostPort[0], Integer.parseInt(hostPort[1]))) {
                throw new AssertionError("Mosquitto is required (TWINBRIDGE_REQUIRE_SERVICES=true) but " + MOSQUITTO
                        + " does not answer");
            }
            return new TestBroker("tcp://" + MOSQUITTO, null);
        }
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(0);
        return new TestBroker(broker.url(), broker);
    }

    String url() {
        return url;
    }

    String kind() {
        return embedded == null ? "Mosquitto " + MOSQUITTO : "embedded Moquette " + url;
    }

    /** Ends a persistent session left on a shared broker, by connecting once with a clean session. */
    void discardSession(String clientId) {
        try {
            MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            client.disconnect();
            client.close();
        } catch (Exception e) {
            // Best effort: a leftover session expires with the broker's own settings.
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
