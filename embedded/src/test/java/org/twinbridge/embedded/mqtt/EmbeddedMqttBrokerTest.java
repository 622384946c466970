package org.twinbridge.embedded.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

class EmbeddedMqttBrokerTest {

    @Test
    void start_onPortZero_bindsLoopbackAndDeliversQos1() throws Exception {
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(0)) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + broker.port());
            BlockingQueue<String> received = new ArrayBlockingQueue<>(4);
            MqttClient subscriber = client(broker, "sub");
            subscriber.subscribe("devices/+/vitals", 1,
                    (topic, message) -> received.add(topic + " " + new String(message.getPayload(),
                            StandardCharsets.UTF_8)));
            MqttClient publisher = client(broker, "pub");
            publisher.publish("devices/d1/vitals", "{}".getBytes(StandardCharsets.UTF_8), 1, false);

            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/d1/vitals {}");
            publisher.disconnect();
            subscriber.disconnect();
        }
    }

    @Test
    void awaitSubscription_returnsOnlyOnceAClientHasSubscribedToThatFilter() throws Exception {
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(0)) {
            assertThat(broker.awaitSubscription("devices/+/vitals", java.time.Duration.ofMillis(200))).isFalse();
            MqttClient subscriber = client(broker, "sub");
            subscriber.subscribe("devices/other", 1);
            assertThat(broker.awaitSubscription("devices/+/vitals", java.time.Duration.ofMillis(200))).isFalse();
            subscriber.subscribe("devices/+/vitals", 1);

            assertThat(broker.awaitSubscription("devices/+/vitals", java.time.Duration.ofSeconds(10))).isTrue();
            subscriber.disconnect();
        }
    }

    @Test
    void start_withPortOutOfRange_isRefused() {
        assertThatThrownBy(() -> EmbeddedMqttBroker.start(70_000)).hasMessageContaining("TB-EMBED-MQTT-040");
    }

    @Test
    void close_twice_isHarmless() {
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(0);
        broker.close();
        broker.close();
    }

    private static MqttClient client(EmbeddedMqttBroker broker, String id) throws Exception {
        MqttClient client = new MqttClient(broker.url(), id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        return client;
    }
}
