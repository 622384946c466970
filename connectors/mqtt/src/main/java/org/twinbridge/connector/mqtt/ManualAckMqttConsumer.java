package org.twinbridge.connector.mqtt;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.sdk.connector.ConnectorMonitor;

/**
 * Subscribes with QoS 1 in a persistent session, commits the messages it has received in batches, and
 * acknowledges each message only after the commit that journalled it (or recorded it as a dead letter).
 *
 * <p><b>Why not camel-paho-mqtt5's consumer.</b> In Camel 4.17 its {@code messageArrived} hands the exchange to
 * the route with the default consumer callback, which reports a failed exchange to the exception handler and
 * returns normally; Paho then sends the PUBACK automatically, so a message whose journal commit failed would be
 * acknowledged and lost. It has no manual-ack option. It also speaks MQTT 5 only, and the embedded broker
 * (Moquette 0.17) speaks 3.1.1. So this consumer drives Paho's clients directly, through {@link BrokerClient}:
 * the MQTT 3.1.1 client by default, which every MQTT 3.1.1 or 5 broker accepts, or the MQTT 5 client with
 * {@code protocol: mqtt5}; both with manual acks. Batching, acks and reconnects below are the same for both.
 *
 * <p><b>Batches.</b> Paho calls {@link #messageArrived} on one thread, one message at a time; it only queues the
 * message. One committer thread takes every message queued (up to {@code max-batch}), runs the route once on the
 * batch, which journals all its readings in one transaction, and then acknowledges each message with
 * {@link BrokerClient#acknowledge} (Paho's {@code messageArrivedComplete}, which only sends the PUBACK, from any
 * thread). While a commit runs the next batch gathers, so the batch grows with the load. The broker sends a client
 * only so many unacknowledged messages (Mosquitto's {@code max_inflight_messages}, 20 by default, and over MQTT 5
 * the client's Receive Maximum), which bounds the batch too.
 * A full queue blocks Paho's thread, which stops reading from the socket: the broker then queues.
 *
 * <p><b>Failure.</b> If the batch's commit fails, none of its messages is acknowledged: the connector drops the
 * connection without a DISCONNECT and connects again, resuming the persistent session ({@code cleanSession=false},
 * or MQTT 5's {@code cleanStart=false} with a session expiry interval), and the broker redelivers every
 * unacknowledged message. Messages still queued from the old connection are dropped unacknowledged for the same
 * reason, and a message is acknowledged only on the connection that delivered it. A message that was journalled
 * but whose ack was lost is redelivered too, and the journal ignores it as a duplicate: at-least-once delivery,
 * exactly-once effect.
 *
 * <p>Nothing here logs a topic or a payload: topics name devices. MQTT 5 message properties never get this far
 * (see {@link PahoV5Client}).
 */
final class ManualAckMqttConsumer extends DefaultConsumer implements BrokerClient.Listener {

    /** Header holding the topic a message arrived on. */
    static final String TOPIC_HEADER = "TwinBridgeMqttTopic";
    private static final Logger LOG = LoggerFactory.getLogger(ManualAckMqttConsumer.class);
    /** The longest wait between connection attempts. */
    static final int MAX_CONNECT_DELAY_MS = 30_000;

    private final String connectorId;
    private final MqttSettings settings;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong failedConnects = new AtomicLong();
    private volatile BrokerClient client;
    private volatile ScheduledExecutorService background;
    private volatile String lastError = "";
    private final ConnectorMonitor monitor;
    // Set while the journal refuses messages: the reconnect that follows is then no sign of health.
    private volatile boolean journalFailing;
    private final BlockingQueue<InboundReading> inbound;
    // Which connection is current: bumped whenever one ends, so that nothing it delivered is acknowledged later.
    private final Object ackLock = new Object();
    private long connection; // guarded by ackLock
    private volatile Thread committer;
    private volatile long retryDelayMs = 1000;

    ManualAckMqttConsumer(ManualAckMqttEndpoint endpoint, Processor processor, String connectorId,
            MqttSettings settings, ConnectorMonitor monitor) {
        super(endpoint, processor);
        this.connectorId = connectorId;
        this.settings = settings;
        this.monitor = monitor;
        // Room for a few batches: enough to gather the next batch while one commits, and a bound on memory.
        this.inbound = new ArrayBlockingQueue<>(Math.max(64, settings.maxBatch() * 4));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "twinbridge-mqtt-" + connectorId);
            t.setDaemon(true);
            return t;
        });
        client = BrokerClient.create(settings, this, inbound.remainingCapacity());
        Thread thread = new Thread(this::commitLoop, "twinbridge-mqtt-commit-" + connectorId);
        thread.setDaemon(true);
        committer = thread;
        thread.start();
        background.execute(() -> connect(1000));
    }

    private void connect(long delayMs) {
        BrokerClient current = client;
        if (current == null || !isRunAllowed()) {
            return;
        }
        try {
            current.connect();
        } catch (BrokerException e) {
            if (e.alreadyConnecting()) {
                // Paho's automatic reconnect got there first; it renews the subscriptions (connectComplete).
                return;
            }
            retryConnect(e, delayMs);
            return;
        }
        try {
            subscribe(current);
        } catch (BrokerException e) {
            // Connected but not subscribed (an MQTT 5 broker may refuse a filter): drop the connection, keeping the
            // session, so that the retry connects afresh instead of finding the client already connected.
            try {
                current.dropConnection();
            } catch (BrokerException dropFailed) {
                LOG.debug("connector {}: forced disconnect failed (reason {})", connectorId, dropFailed.reasonCode());
            }
            retryConnect(e, delayMs);
        }
    }

    private void retryConnect(BrokerException e, long delayMs) {
        failedConnects.incrementAndGet();
        lastError = "connect failed (" + e.getMessage() + ")";
        if (e.tls()) {
            monitor.failed("tls-failed");
            LOG.warn("TB-MQTT-013 connector {} cannot connect to {}: {}; retrying in {} ms", connectorId,
                    settings.broker(), e.getMessage(), delayMs);
        } else {
            monitor.failed("connect-failed");
            LOG.warn("TB-MQTT-010 connector {} cannot connect to {} ({}); retrying in {} ms", connectorId,
                    settings.broker(), lastError, delayMs);
        }
        background.schedule(() -> connect(Math.min(delayMs * 2, MAX_CONNECT_DELAY_MS)), delayMs,
                TimeUnit.MILLISECONDS);
    }

    private void subscribe(BrokerClient current) throws BrokerException {
        current.subscribe(settings.topics());
        connects.incrementAndGet();
        lastError = "";
        if (!journalFailing) {
            monitor.succeeded();
        }
        LOG.info("connector {} subscribed to {} topic filter(s) on {} at QoS 1 ({})", connectorId,
                settings.topics().size(), settings.broker(), settings.protocol() == MqttSettings.Protocol.MQTT5
                        ? "MQTT 5" : "MQTT 3.1.1");
    }

    @Override
    public void messageArrived(String topic, byte[] payload, int messageId, int qos) throws InterruptedException {
        received.incrementAndGet();
        monitor.received(1);
        long current = currentConnection();
        InboundReading reading = new InboundReading(topic, payload, messageId, qos, current);
        // Waits while the queue is full; gives up (unacknowledged, so redelivered) if the connection is replaced
        // meanwhile, or the consumer stops, so that Paho's thread can always shut down.
        while (!inbound.offer(reading, 100, TimeUnit.MILLISECONDS)) {
            if (current != currentConnection() || !isRunAllowed()) {
                return;
            }
        }
    }

    private void commitLoop() {
        List<InboundReading> batch = new ArrayList<>();
        while (isRunAllowed() && committer == Thread.currentThread()) {
            try {
                InboundReading first = inbound.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                inbound.drainTo(batch, settings.maxBatch() - 1);
                long current = currentConnection();
                // Delivered on a connection that has ended: the broker sends them again on the new one.
                batch.removeIf(m -> m.connection() != current);
                if (!batch.isEmpty()) {
                    commit(batch, current);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The route failed outside the exchange; treat it as a failed commit: nothing is acknowledged.
                journalFailed(e);
            }
        }
    }

    private void commit(List<InboundReading> batch, long onConnection) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(List.copyOf(batch));
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                failed.addAndGet(batch.size());
                journalFailed(exchange.getException());
                return;
            }
            acknowledge(batch, onConnection);
            journalFailing = false;
            retryDelayMs = 1000;
            report(exchange);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** Sends each message's PUBACK, unless the connection that delivered them has ended meanwhile. */
    private void acknowledge(List<InboundReading> batch, long onConnection) {
        synchronized (ackLock) {
            BrokerClient current = client;
            if (onConnection != connection || current == null) {
                return;
            }
            for (InboundReading message : batch) {
                try {
                    current.acknowledge(message.messageId(), message.qos());
                    acknowledged.incrementAndGet();
                } catch (BrokerException e) {
                    // The connection is going: the broker redelivers the rest, and the journal ignores them.
                    LOG.debug("connector {}: acknowledgement not sent (reason {})", connectorId, e.reasonCode());
                    return;
                }
            }
        }
    }

    /** Leaves the batch unacknowledged and makes the broker redeliver it: drop the connection, connect again. */
    private void journalFailed(Exception cause) {
        journalFailing = true;
        monitor.failed("journal-failed");
        lastError = "journal write failed (" + cause.getClass().getSimpleName() + ")";
        LOG.warn("TB-MQTT-020 connector {}: messages were not journalled ({}); they are not acknowledged and the "
                + "broker will redeliver them after the reconnect", connectorId, lastError);
        connectionEnded();
        inbound.clear();
        BrokerClient current = client;
        ScheduledExecutorService executor = background;
        if (current == null || executor == null || executor.isShutdown()) {
            return;
        }
        try {
            // Without a DISCONNECT packet: the broker keeps the session and its unacknowledged messages.
            current.dropConnection();
        } catch (BrokerException e) {
            LOG.debug("connector {}: forced disconnect failed (reason {})", connectorId, e.reasonCode());
        }
        long delay = retryDelayMs;
        retryDelayMs = Math.min(delay * 2, MAX_CONNECT_DELAY_MS);
        executor.schedule(() -> connect(delay), delay, TimeUnit.MILLISECONDS);
    }

    private long currentConnection() {
        synchronized (ackLock) {
            return connection;
        }
    }

    private void connectionEnded() {
        synchronized (ackLock) {
            connection++;
        }
    }

    /** After the ack: a dead letter is a rejection; a reading's age at its commit is the connector's lag. */
    private void report(Exchange exchange) {
        List<?> outcomes = exchange.getProperty(ReadingProcessor.OUTCOMES, List.class);
        if (outcomes == null) {
            return;
        }
        Instant now = Instant.now();
        for (Object item : outcomes) {
            ReadingProcessor.Outcome outcome = (ReadingProcessor.Outcome) item;
            if (outcome.rejection() != null) {
                monitor.rejected(outcome.rejection());
                continue;
            }
            monitor.succeeded();
            if (outcome.newestReading() != null) {
                monitor.lag(Duration.between(outcome.newestReading(), now));
            }
        }
    }

    @Override
    public void connectComplete(boolean reconnect) {
        if (reconnect) {
            // Subscribing waits for the SUBACK, which Paho delivers on this very callback thread; so not here.
            ScheduledExecutorService executor = background;
            if (executor != null && !executor.isShutdown()) {
                executor.execute(() -> {
                    try {
                        subscribe(client);
                    } catch (BrokerException | RuntimeException e) {
                        LOG.warn("TB-MQTT-011 connector {} could not renew its subscriptions after a reconnect ({});"
                                + " the persistent session still holds them", connectorId, e.getClass().getSimpleName());
                    }
                });
            }
        }
    }

    @Override
    public void connectionLost() {
        connectionEnded();
        lastError = "connection lost";
        monitor.failed("connection-lost");
        LOG.warn("TB-MQTT-012 connector {} lost its connection to {}; reconnecting", connectorId, settings.broker());
    }

    @Override
    protected void doStop() throws Exception {
        ScheduledExecutorService executor = background;
        if (executor != null) {
            executor.shutdownNow();
        }
        Thread thread = committer;
        committer = null;
        if (thread != null) {
            // A batch being committed finishes (and is acknowledged) first: stopping must not cut a commit short.
            thread.join(10_000);
        }
        connectionEnded();
        inbound.clear();
        BrokerClient current = client;
        client = null;
        if (current != null) {
            try {
                // No unsubscribe: the persistent session keeps queueing QoS 1 messages while the node is down.
                current.disconnect();
            } catch (BrokerException e) {
                LOG.debug("connector {}: disconnect failed (reason {})", connectorId, e.reasonCode());
            } finally {
                try {
                    current.close();
                } catch (BrokerException e) {
                    LOG.debug("connector {}: close failed (reason {})", connectorId, e.reasonCode());
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

    /** Messages left unacknowledged because their batch's commit failed. */
    long failed() {
        return failed.get();
    }

    /** Successful subscriptions (first connect and reconnects). */
    long connects() {
        return connects.get();
    }

    /** Connection attempts that failed (to connect or to subscribe). */
    long failedConnects() {
        return failedConnects.get();
    }

    boolean connected() {
        BrokerClient current = client;
        return current != null && current.isConnected();
    }

    /** The last error's kind, without content; empty when healthy. */
    String lastError() {
        return lastError;
    }
}
