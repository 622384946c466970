package org.twinbridge.connector.mqtt;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * MQTT 3.1.1 over Paho's v3 client: a persistent session ({@code cleanSession=false}), which the broker keeps
 * until the client asks for a clean one, and manual acks.
 */
final class PahoV3Client implements BrokerClient, MqttCallbackExtended {

    private final MqttSettings settings;
    private final Listener listener;
    private final MqttClient client;
    private final String host;
    private final boolean overTls;

    PahoV3Client(MqttSettings settings, Listener listener) throws BrokerException {
        this.settings = settings;
        this.listener = listener;
        this.host = URI.create(settings.broker()).getHost();
        this.overTls = settings.tls().isPresent();
        try {
            // Client-side persistence in memory: inbound QoS 1 messages are never stored by the client, and the
            // default file persistence would write into the working directory.
            client = new MqttClient(settings.broker(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw BrokerException.of(e.getReasonCode(), e, host, overTls);
        }
        client.setManualAcks(true);
        client.setCallback(this);
    }

    @Override
    public void connect() throws BrokerException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(ManualAckMqttConsumer.MAX_CONNECT_DELAY_MS);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        settings.username().ifPresent(options::setUserName);
        settings.password().ifPresent(p -> options.setPassword(p.clone()));
        settings.tls().ifPresent(tls -> {
            options.setSocketFactory(tls.socketFactory());
            options.setHttpsHostnameVerificationEnabled(tls.hostnameVerification());
        });
        call(() -> client.connect(options));
    }

    @Override
    public void subscribe(List<String> filters) throws BrokerException {
        int[] qos = new int[filters.size()];
        Arrays.fill(qos, 1);
        call(() -> client.subscribe(filters.toArray(String[]::new), qos));
    }

    @Override
    public void acknowledge(int messageId, int qos) throws BrokerException {
        call(() -> client.messageArrivedComplete(messageId, qos));
    }

    @Override
    public void dropConnection() throws BrokerException {
        call(() -> client.disconnectForcibly(0, 1000, false));
    }

    @Override
    public void disconnect() throws BrokerException {
        if (client.isConnected()) {
            call(() -> client.disconnect(5_000));
        }
    }

    @Override
    public void close() throws BrokerException {
        call(() -> client.close(true));
    }

    /** A Paho call. */
    private interface PahoCall {
        void run() throws MqttException;
    }

    /** Runs a Paho call, turning its exception into a {@link BrokerException}. */
    private void call(PahoCall call) throws BrokerException {
        try {
            call.run();
        } catch (MqttException e) {
            throw BrokerException.of(e.getReasonCode(), e, host, overTls);
        }
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
        listener.messageArrived(topic, message.getPayload(), message.getId(), message.getQos());
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        listener.connectComplete(reconnect);
    }

    @Override
    public void connectionLost(Throwable cause) {
        listener.connectionLost();
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // This client never publishes.
    }
}
