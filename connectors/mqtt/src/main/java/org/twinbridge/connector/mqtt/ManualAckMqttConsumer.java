package org.twinbridge.connector.mqtt;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.sdk.connector.ConnectorMonitor;
import org.twinbridge.sdk.connector.DeadLetter;

/**
 * Subscribes with QoS 1 in a persistent session and acknowledges each message only after the route has
 * journalled it (or recorded it as a dead letter).
 *
 * <p><b>Why not camel-paho-mqtt5's consumer.</b> In Camel 4.17 its {@code messageArrived} hands the exchange to
 * the route with the default consumer callback, which reports a failed exchange to the exception handler and
 * returns normally; Paho then sends the PUBACK automatically, so a message whose journal commit failed would be
 * acknowledged and lost. It has no manual-ack option. It also speaks MQTT 5 only, and the embedded broker
 * (Moquette 0.17) speaks 3.1.1. So this consumer drives the Paho MQTT 3.1.1 client directly, which every MQTT
 * 3.1.1 or 5 broker accepts, with {@code setManualAcks(true)}.
 *
 * <p><b>Acknowledgement.</b> Paho calls {@link #messageArrived} on one thread, one message at a time. The route
 * runs synchronously inside it. If it succeeds the message is acknowledged with
 * {@link MqttClient#messageArrivedComplete}. If it fails (the journal could not commit) the message is not
 * acknowledged and {@code messageArrived} throws, which makes Paho drop the connection; automatic reconnect
 * resumes the persistent session ({@code cleanSession=false}), and the broker redelivers every unacknowledged
 * message. A message that was journalled but whose ack was lost is redelivered too, and the journal ignores it
 * as a duplicate: at-least-once delivery, exactly-once effect.
 *
 * <p>Nothing here logs a topic or a payload: topics name devices.
 */
final class ManualAckMqttConsumer extends DefaultConsumer implements MqttCallbackExtended {

    /** Header holding the topic a message arrived on. */
    static final String TOPIC_HEADER = "TwinBridgeMqttTopic";
    private static final Logger LOG = LoggerFactory.getLogger(ManualAckMqttConsumer.class);
    private static final long MAX_CONNECT_DELAY_MS = 30_000;

    private final String connectorId;
    private final MqttSettings settings;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private volatile MqttClient client;
    private volatile ScheduledExecutorService background;
    private volatile String lastError = "";
    private final ConnectorMonitor monitor;
    // Set while the journal refuses messages: the reconnect that follows is then no sign of health.
    private volatile boolean journalFailing;

    ManualAckMqttConsumer(ManualAckMqttEndpoint endpoint, Processor processor, String connectorId,
            MqttSettings settings, ConnectorMonitor monitor) {
        super(endpoint, processor);
        this.connectorId = connectorId;
        this.settings = settings;
        this.monitor = monitor;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "twinbridge-mqtt-" + connectorId);
            t.setDaemon(true);
            return t;
        });
        // Client-side persistence in memory: inbound QoS 1 messages are never stored by the client, and the
        // default file persistence would write into the working directory.
        client = new MqttClient(settings.broker(), settings.clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(this);
        background.execute(() -> connect(1000));
    }

    private void connect(long delayMs) {
        MqttClient current = client;
        if (current == null || !isRunAllowed()) {
            return;
        }
        try {
            current.connect(options());
            subscribe(current);
        } catch (MqttException e) {
            lastError = "connect failed (reason " + e.getReasonCode() + ")";
            monitor.failed("connect-failed");
            LOG.warn("TB-MQTT-010 connector {} cannot connect to {} ({}); retrying in {} ms", connectorId,
                    settings.broker(), lastError, delayMs);
            background.schedule(() -> connect(Math.min(delayMs * 2, MAX_CONNECT_DELAY_MS)), delayMs,
                    TimeUnit.MILLISECONDS);
        }
    }

    private MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay((int) MAX_CONNECT_DELAY_MS);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        settings.username().ifPresent(options::setUserName);
        settings.password().ifPresent(p -> options.setPassword(p.clone()));
        return options;
    }

    private void subscribe(MqttClient current) throws MqttException {
        int[] qos = new int[settings.topics().size()];
        Arrays.fill(qos, 1);
        current.subscribe(settings.topics().toArray(String[]::new), qos);
        connects.incrementAndGet();
        lastError = "";
        if (!journalFailing) {
            monitor.succeeded();
        }
        LOG.info("connector {} subscribed to {} topic filter(s) on {} at QoS 1", connectorId,
                settings.topics().size(), settings.broker());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        received.incrementAndGet();
        monitor.received(1);
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(message.getPayload());
            exchange.getMessage().setHeader(TOPIC_HEADER, topic);
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                failed.incrementAndGet();
                journalFailing = true;
                monitor.failed("journal-failed");
                lastError = "journal write failed (" + exchange.getException().getClass().getSimpleName() + ")";
                LOG.warn("TB-MQTT-020 connector {}: a message was not journalled ({}); it is not acknowledged "
                        + "and the broker will redeliver it after the reconnect", connectorId, lastError);
                throw new NotJournalled(connectorId);
            }
            client.messageArrivedComplete(message.getId(), message.getQos());
            acknowledged.incrementAndGet();
            journalFailing = false;
            report(exchange);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** After the ack: a dead letter is a rejection; a reading's age at its commit is the connector's lag. */
    private void report(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.getMessage().getHeader(ReadingProcessor.DEAD_LETTER_HEADER, Boolean.class))) {
            DeadLetter dead = exchange.getMessage().getBody(DeadLetter.class);
            monitor.rejected(dead == null ? "dead-letter" : dead.reasonCode());
            return;
        }
        monitor.succeeded();
        Instant reading = exchange.getMessage().getHeader(ReadingProcessor.READING_TIME_HEADER, Instant.class);
        if (reading != null) {
            monitor.lag(Duration.between(reading, Instant.now()));
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        if (reconnect) {
            // Subscribing waits for the SUBACK, which Paho delivers on this very callback thread; so not here.
            ScheduledExecutorService executor = background;
            if (executor != null && !executor.isShutdown()) {
                executor.execute(() -> {
                    try {
                        subscribe(client);
                    } catch (MqttException | RuntimeException e) {
                        LOG.warn("TB-MQTT-011 connector {} could not renew its subscriptions after a reconnect ({});"
                                + " the persistent session still holds them", connectorId, e.getClass().getSimpleName());
                    }
                });
            }
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        if (!(cause != null && cause.getCause() instanceof NotJournalled)) {
            lastError = "connection lost";
            monitor.failed("connection-lost");
            LOG.warn("TB-MQTT-012 connector {} lost its connection to {}; reconnecting", connectorId,
                    settings.broker());
        }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // This client never publishes.
    }

    @Override
    protected void doStop() throws Exception {
        ScheduledExecutorService executor = background;
        if (executor != null) {
            executor.shutdownNow();
        }
        MqttClient current = client;
        client = null;
        if (current != null) {
            try {
                if (current.isConnected()) {
                    // No unsubscribe: the persistent session keeps queueing QoS 1 messages while the node is down.
                    current.disconnect(5_000);
                }
            } catch (MqttException e) {
                LOG.debug("connector {}: disconnect failed (reason {})", connectorId, e.getReasonCode());
            } finally {
                try {
                    current.close(true);
                } catch (MqttException e) {
                    LOG.debug("connector {}: close failed (reason {})", connectorId, e.getReasonCode());
                }
            }
        }
        super.doStop();
    }

    /** Messages that arrived, including redeliveries. */
    long received() {
        return received.get();
    }

    /** Messages acknowledged after their commit. */
    long acknowledged() {
        return acknowledged.get();
    }

    /** Messages left unacknowledged because the journal failed. */
    long failed() {
        return failed.get();
    }

    /** Successful subscriptions (first connect and reconnects). */
    long connects() {
        return connects.get();
    }

    boolean connected() {
        MqttClient current = client;
        return current != null && current.isConnected();
    }

    /** The last error's kind, without content; empty when healthy. */
    String lastError() {
        return lastError;
    }

    /** Thrown to make Paho drop the connection so that the broker redelivers; carries no content. */
    static final class NotJournalled extends Exception {
        private static final long serialVersionUID = 1L;

        NotJournalled(String connectorId) {
            super("TB-MQTT-020 connector " + connectorId + ": message not journalled; left unacknowledged", null,
                    false, false);
        }
    }
}
