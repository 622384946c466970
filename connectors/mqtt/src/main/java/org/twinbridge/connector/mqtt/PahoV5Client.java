package org.twinbridge.connector.mqtt;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * MQTT 5 over Paho's v5 client, with manual acks. An MQTT 5 session ends when its connection does unless the
 * client asks for a session expiry interval, so this client connects with {@code cleanStart=false} and the
 * configured {@code session-expiry}: the broker then keeps the subscriptions and the unacknowledged QoS 1
 * messages across reconnects and node restarts, as the MQTT 3.1.1 persistent session does.
 *
 * <p>The client announces a Receive Maximum no larger than the consumer's queue, so that the broker does not send
 * more unacknowledged messages than the connector can hold. Message properties (user properties above all) are
 * dropped here: the consumer never sees them, and none of Paho's objects that carry them is logged (their
 * {@code toString()} would print them).
 */
final class PahoV5Client implements BrokerClient, MqttCallback {

    /** A Receive Maximum is at most 65535 (MQTT 5, 3.1.2.11.3). */
    private static final int MAX_RECEIVE_MAXIMUM = 65_535;
    private final MqttSettings settings;
    private final Listener listener;
    private final MqttClient client;
    private final String host;
    private final boolean overTls;
    private final int receiveMaximum;

    PahoV5Client(MqttSettings settings, Listener listener, int receiveMaximum) throws BrokerException {
        this.settings = settings;
        this.listener = listener;
        this.host = URI.create(settings.broker()).getHost();
        this.overTls = settings.tls().isPresent();
        this.receiveMaximum = Math.max(1, Math.min(receiveMaximum, MAX_RECEIVE_MAXIMUM));
        try {
            client = new MqttClient(settings.broker(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw BrokerException.of(e.getReasonCode(), e, host, overTls);
        }
        client.setManualAcks(true);
        client.setCallback(this);
    }

    @Override
    public void connect() throws BrokerException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        options.setReceiveMaximum(receiveMaximum);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(ManualAckMqttConsumer.MAX_CONNECT_DELAY_MS);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        settings.username().ifPresent(options::setUserName);
        settings.password().ifPresent(p -> options.setPassword(utf8(p)));
        settings.tls().ifPresent(tls -> {
            options.setSocketFactory(tls.socketFactory());
            options.setHttpsHostnameVerificationEnabled(tls.hostnameVerification());
        });
        call(() -> client.connect(options));
    }

    /** MQTT 5 passwords are binary data; the connector's are text, sent as UTF-8. */
    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    @Override
    public void subscribe(List<String> filters) throws BrokerException {
        MqttSubscription[] subscriptions = filters.stream().map(f -> new MqttSubscription(f, 1))
                .toArray(MqttSubscription[]::new);
        IMqttToken[] token = new IMqttToken[1];
        call(() -> token[0] = client.subscribe(subscriptions));
        // An MQTT 5 SUBACK answers each filter with the granted QoS or a failure reason (0x80 and above), e.g.
        // 0x87 not authorised: a refused filter would otherwise look like a quiet feed.
        int[] codes = token[0].getReasonCodes();
        if (codes != null) {
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] >= 0x80) {
                    throw BrokerException.refused("the broker refused subscription " + (i + 1) + " of "
                            + filters.size() + " (reason 0x" + Integer.toHexString(codes[i]) + ")");
                }
            }
        }
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
            // No session expiry property on the DISCONNECT: the one given at connect stands.
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
        // Only the payload, packet id and QoS go on; the properties stay here and are garbage with the message.
        listener.messageArrived(topic, message.getPayload(), message.getId(), message.getQos());
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        listener.connectComplete(reconnect);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        // The response may carry the broker's reason string and user properties: not logged.
        listener.connectionLost();
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        // A protocol error Paho reports besides a disconnect; the disconnect (if any) follows through disconnected.
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // This client never publishes.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication is configured, so the broker sends no AUTH packets.
    }
}
