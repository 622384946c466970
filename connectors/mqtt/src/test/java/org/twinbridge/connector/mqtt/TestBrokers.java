package org.twinbridge.connector.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import org.twinbridge.embedded.mqtt.EmbeddedMqttBroker;

/**
 * The brokers connector tests run against: the embedded Moquette broker, always, and the machine's Mosquitto
 * (127.0.0.1:1883, or {@code TWINBRIDGE_TEST_MQTT}) when it answers. Without Mosquitto those tests are skipped with
 * a message, unless {@code TWINBRIDGE_REQUIRE_SERVICES=true} (CI), where they fail. Every test uses its own topic
 * root and client ids, so that builds sharing one Mosquitto do not see each other's messages.
 */
final class TestBrokers {

    static final String MOSQUITTO = "tcp://" + System.getenv().getOrDefault("TWINBRIDGE_TEST_MQTT", "127.0.0.1:1883");

    /** One broker for one test, a unique topic root on it, and the protocol the connector speaks to it. */
    record Broker(String url, String root, EmbeddedMqttBroker embedded, String protocol) implements AutoCloseable {

        /** The topic a device publishes its vitals to. */
        String vitals(String device) {
            return root + "/devices/" + device + "/vitals";
        }

        String filter() {
            return root + "/devices/+/vitals";
        }

        @Override
        public void close() throws Exception {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private TestBrokers() {
    }

    /**
     * A broker of the given kind: {@code embedded} (Moquette, MQTT 3.1.1), {@code mosquitto} (the machine's, over
     * MQTT 3.1.1), {@code mosquitto-mqtt5} (the same over MQTT 5) or {@code hivemq-mqtt5} (embedded HiveMQ CE,
     * over MQTT 5).
     */
    static Broker start(String kind) throws Exception {
        String root = "tbtest-" + UUID.randomUUID().toString().substring(0, 8);
        if (kind.equals("embedded")) {
            EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(0);
            return new Broker(broker.url(), root, broker, "mqtt3");
        }
        if (kind.equals("hivemq-mqtt5")) {
            // One HiveMQ for the test JVM (it takes seconds to start); tests keep apart by topic root and client id.
            return new Broker(sharedHiveMq().url(), root, null, "mqtt5");
        }
        try {
            MqttClient probe = new MqttClient(MOSQUITTO, "tbprobe-" + root, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setConnectionTimeout(3);
            probe.connect(options);
            probe.disconnect();
            probe.close();
        } catch (MqttException e) {
            if (Boolean.parseBoolean(System.getenv("TWINBRIDGE_REQUIRE_SERVICES"))) {
                throw new AssertionError("Mosquitto is required (TWINBRIDGE_REQUIRE_SERVICES=true) but " + MOSQUITTO
                        + " is not reachable (reason " + e.getReasonCode() + ")", e);
            }
            Assumptions.abort("Mosquitto not reachable at " + MOSQUITTO + " (reason " + e.getReasonCode()
                    + "); skipping the Mosquitto variant. Start it, or set TWINBRIDGE_TEST_MQTT=host:port.");
        }
        return new Broker(MOSQUITTO, root, null, kind.endsWith("-mqtt5") ? "mqtt5" : "mqtt3");
    }

    private static EmbeddedMqtt5Broker hiveMq;

    private static synchronized EmbeddedMqtt5Broker sharedHiveMq() throws Exception {
        if (hiveMq == null) {
            EmbeddedMqtt5Broker started = EmbeddedMqtt5Broker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception e) {
                    // the JVM is exiting; the broker's threads end with it
                }
            }, "tb-test-hivemq-stop"));
            hiveMq = started;
        }
        return hiveMq;
    }

    /** Publishes at QoS 1 and waits for the broker's ack. */
    static void publish(Broker broker, String topic, String payload) throws MqttException {
        MqttClient client = new MqttClient(broker.url(), "tbpub-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        try {
            client.connect();
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
            client.disconnect();
        } finally {
            client.close();
        }
    }

    /** Publishes at QoS 1 over MQTT 5, with user properties, and waits for the broker's ack. */
    static void publish5(Broker broker, String topic, String payload, Map<String, String> userProperties)
            throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                broker.url(), "tbpub5-" + UUID.randomUUID().toString().substring(0, 8),
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        try {
            client.connect();
            MqttProperties properties = new MqttProperties();
            List<UserProperty> list = new ArrayList<>();
            userProperties.forEach((k, v) -> list.add(new UserProperty(k, v)));
            properties.setUserProperties(list);
            properties.setContentType("application/json; patient=" + userProperties.values().iterator().next());
            org.eclipse.paho.mqttv5.common.MqttMessage message = new org.eclipse.paho.mqttv5.common.MqttMessage(
                    payload.getBytes(StandardCharsets.UTF_8), 1, false, properties);
            client.publish(topic, message);
            client.disconnect();
        } finally {
            client.close();
        }
    }

    /** Polls until the condition holds; fails the test after a generous bound (not a timing assertion). */
    static void await(String what, BooleanSupplier condition) {
        org.twinbridge.testkit.Await.until(what, condition::getAsBoolean);
    }
}
