package org.twinbridge.tools.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Simulated wearables (pulse oximeters worn by the first one or two demo patients) publishing Open mHealth
 * heart-rate and oxygen-saturation data points at QoS 1 to {@code devices/<device>/vitals} on the embedded
 * broker, ten minutes after each ward round. The first patient's readings follow the same deterioration as the
 * ward simulation. Everything here is synthetic.
 */
final class WearableSimulator implements AutoCloseable {

    static final int READINGS_PER_ROUND = 2;
    private static final int MAX_DEVICES = 2;
    private static final Duration AFTER_ROUND = Duration.ofMinutes(10);
    private static final Duration ROUND_INTERVAL = Duration.ofMinutes(30);

    private final DemoPublisher client;
    private final List<String> devices;
    private final Instant lastRoundAt;
    private final Random random = new Random(20240501L);
    private int round;

    private WearableSimulator(DemoPublisher client, List<String> devices, Instant lastRoundAt) {
        this.client = client;
        this.devices = devices;
        this.lastRoundAt = lastRoundAt;
    }

    /** The device ids worn by the first {@code patients} patients (at most two). */
    static List<String> deviceIds(int patients) {
        return java.util.stream.IntStream.rangeClosed(1, Math.min(MAX_DEVICES, patients))
                .mapToObj(i -> "wearable-" + i).toList();
    }

    static WearableSimulator connect(String brokerUrl, List<String> devices, Instant now) throws MqttException {
        return new WearableSimulator(DemoPublisher.connect(brokerUrl, "demo-wearables"), devices, now);
    }

    /** Readings the whole simulation will publish. */
    long total() {
        return (long) WardSimulator.ROUNDS * READINGS_PER_ROUND * devices.size();
    }

    boolean finished() {
        return round >= WardSimulator.ROUNDS;
    }

    /** Publishes the next round's readings for every device; each publish returns after the broker's ack. */
    void publishNextRound() throws MqttException {
        if (finished()) {
            return;
        }
        Instant at = lastRoundAt.minus(ROUND_INTERVAL.multipliedBy(WardSimulator.ROUNDS - 1L - round)).plus(AFTER_ROUND);
        double progress = round / (double) (WardSimulator.ROUNDS - 1);
        for (int i = 0; i < devices.size(); i++) {
            double d = i == 0 ? progress : 0;
            String topic = "devices/" + devices.get(i) + "/vitals";
            publish(topic, dataPoint("heart-rate", "heart_rate", Math.round(80 + 45 * d + jitter(3)), "beats/min", at));
            publish(topic, dataPoint("oxygen-saturation", "oxygen_saturation",
                    Math.round(Math.min(100, 97 - 6 * d + jitter(1))), "%", at));
        }
        round++;
    }

    private void publish(String topic, String payload) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private double jitter(double amplitude) {
        return (random.nextDouble() * 2 - 1) * amplitude;
    }

    private static String dataPoint(String schema, String property, long value, String unit, Instant at) {
        return """
                {"header":{"id":"%s","creation_date_time":"%s",
                  "schema_id":{"namespace":"omh","name":"%s","version":"2.0"},
                  "acquisition_provenance":{"source_name":"TwinBridge demo wearable","modality":"sensed"}},
                 "body":{"%s":{"value":%d,"unit":"%s"},"effective_time_frame":{"date_time":"%s"}}}
                """.formatted(UUID.randomUUID(), at.plusSeconds(5), schema, property, value, unit, at);
    }

    @Override
    public void close() {
        client.close();
    }
}
