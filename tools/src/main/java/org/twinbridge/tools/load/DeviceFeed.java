package org.twinbridge.tools.load;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.twinbridge.connector.mqtt.MqttSourceConnector;

/**
 * Wearables publishing synthetic Open mHealth heart-rate data points at QoS 1 to
 * {@code <prefix>devices/<device>/vitals}, round-robin over the given devices. A message counts as acknowledged
 * when the broker's PUBACK arrives. Data point ids ({@code header.id}) are {@code <run>-M<n>}.
 */
public final class DeviceFeed extends Feed {

    private final String brokerUrl;
    private final String topicPrefix;
    private final List<String> devices;
    private final String run;
    private MqttClient client;

    public DeviceFeed(String brokerUrl, String topicPrefix, List<String> devices, String run, double perSecond,
            AckListener onAcknowledged) {
        super("devices", perSecond, onAcknowledged);
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("TB-LOAD-002 a device feed needs at least one device");
        }
        this.brokerUrl = brokerUrl;
        this.topicPrefix = topicPrefix;
        this.devices = List.copyOf(devices);
        this.run = run;
    }

    @Override
    public String journalKey(long seq) {
        return MqttSourceConnector.openMHealthReadingId(dataPointId(seq));
    }

    private String dataPointId(long seq) {
        return run + "-M" + seq;
    }

    @Override
    protected void sendOnce(long seq) throws MqttException {
        if (client == null || !client.isConnected()) {
            reset();
            MqttClient created = new MqttClient(brokerUrl, "tb-feed-" + run + "-" + seq, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setConnectionTimeout(5);
            created.connect(options);
            client = created;
        }
        String id = dataPointId(seq);
        String device = devices.get((int) (seq % devices.size()));
        String payload = """
                {"header":{"id":"%s","creation_date_time":"%s",
                  "schema_id":{"namespace":"omh","name":"heart-rate","version":"2.0"}},
                 "body":{"heart_rate":{"value":%d,"unit":"beats/min"},"effective_time_frame":{"date_time":"%s"}}}
                """.formatted(id, Instant.now(), 60 + seq % 60, Instant.now());
        client.publish(topicPrefix + "devices/" + device + "/vitals", payload.getBytes(StandardCharsets.UTF_8), 1,
                false);
    }

    @Override
    protected void reset() {
        MqttClient current = client;
        client = null;
        if (current != null) {
            try {
                if (current.isConnected()) {
                    current.disconnectForcibly(1_000, 1_000);
                }
                current.close(true);
            } catch (MqttException e) {
                // The client is being abandoned anyway.
            }
        }
    }
}
