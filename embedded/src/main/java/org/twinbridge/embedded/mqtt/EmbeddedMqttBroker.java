package org.twinbridge.embedded.mqtt;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptSubscribeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Moquette MQTT 3.1.1 broker on 127.0.0.1. Persistent sessions (clean session false) and their unacknowledged
 * QoS 1 messages are kept in memory for as long as the broker runs, which is what redelivery tests and the demo
 * need; nothing is written to disk. Moquette's own defaults (bind 0.0.0.0, telemetry on, an on-disk store, 8 KB
 * messages) are all overridden here.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    /** The largest PUBLISH the broker accepts, in bytes: room for a device Bundle. */
    public static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);
    private static final String HOST = "127.0.0.1";

    private final Server server;
    private final int port;
    private final Subscriptions subscriptions;
    private boolean closed;

    private EmbeddedMqttBroker(Server server, int port, Subscriptions subscriptions) {
        this.server = server;
        this.port = port;
        this.subscriptions = subscriptions;
    }

    /**
     * Starts a broker.
     *
     * @param port the TCP port on 127.0.0.1, or 0 for a free one (see {@link #port()})
     * @throws IllegalStateException if the port cannot be bound or the broker does not start
     */
    public static EmbeddedMqttBroker start(int port) {
        return start(port, null);
    }

    /**
     * Starts a broker that keeps persistent sessions, their subscriptions and their queued QoS 1 messages on disk
     * in {@code dataDir}, so that a broker stopped and started again on the same directory (and port) still holds
     * them: what broker-restart tests need.
     *
     * @param dataDir where Moquette keeps its store; null for the in-memory broker of {@link #start(int)}
     */
    public static EmbeddedMqttBroker startPersistent(int port, java.nio.file.Path dataDir) {
        return start(port, java.util.Objects.requireNonNull(dataDir, "dataDir"));
    }

    private static EmbeddedMqttBroker start(int port, java.nio.file.Path dataDir) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TB-EMBED-MQTT-040 port " + port
                    + " is out of range; use 0 (any free port) or 1 to 65535");
        }
        // Moquette reports the configured port, not the bound one, so port 0 is resolved here; a port taken between
        // the probe and the bind fails the start, and is retried with another.
        int attempts = port == 0 ? 3 : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                return startOn(port == 0 ? freePort() : port, dataDir);
            } catch (IllegalStateException e) {
                if (attempt >= attempts) {
                    throw e;
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("TB-EMBED-MQTT-041 no free port on " + HOST, e);
        }
    }

    private static EmbeddedMqttBroker startOn(int port, java.nio.file.Path dataDir) {
        Properties properties = new Properties();
        properties.setProperty(BrokerConstants.HOST_PROPERTY_NAME, HOST);
        properties.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(port));
        properties.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
        if (dataDir == null) {
            properties.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        } else {
            properties.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
            properties.setProperty(BrokerConstants.DATA_PATH_PROPERTY_NAME, dataDir.toAbsolutePath().toString());
        }
        properties.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        properties.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
        properties.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        properties.setProperty(BrokerConstants.METRICS_ENABLE_PROPERTY_NAME, "false");
        properties.setProperty(BrokerConstants.BUGSNAG_ENABLE_PROPERTY_NAME, "false");
        Server server = new Server();
        Subscriptions subscriptions = new Subscriptions();
        try {
            server.startServer(new MemoryConfig(properties), List.of(subscriptions));
        } catch (IOException | RuntimeException e) {
            server.stopServer();
            throw new IllegalStateException("TB-EMBED-MQTT-041 the embedded MQTT broker could not start on "
                    + HOST + ":" + port + " (" + e.getClass().getSimpleName() + "); choose another port or 0", e);
        }
        LOG.info("embedded MQTT broker listening on tcp://{}:{}", HOST, port);
        return new EmbeddedMqttBroker(server, port, subscriptions);
    }

    /**
     * Waits until some client has subscribed to exactly this topic filter. A broker keeps no message published
     * to a topic nobody has subscribed to yet, so a feed that starts before the node's first subscription loses
     * its first readings at the broker (the node never sees them). Feeds wait here first.
     *
     * @return whether the subscription arrived within the timeout
     */
    public boolean awaitSubscription(String topicFilter, Duration timeout) throws InterruptedException {
        return subscriptions.await(topicFilter, timeout);
    }

    /** Remembers every topic filter subscribed to since the broker started. */
    private static final class Subscriptions extends AbstractInterceptHandler {
        private final Set<String> seen = new HashSet<>();

        @Override
        public String getID() {
            return "twinbridge-subscriptions";
        }

        @Override
        public void onSubscribe(InterceptSubscribeMessage message) {
            synchronized (this) {
                seen.add(message.getTopicFilter());
                notifyAll();
            }
        }

        @Override
        public void onSessionLoopError(Throwable error) {
            LOG.debug("embedded MQTT broker session loop error ({})", error.getClass().getSimpleName());
        }

        synchronized boolean await(String topicFilter, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!seen.contains(topicFilter)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** The bound port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The broker's URL for MQTT clients, e.g. {@code tcp://127.0.0.1:41883}. */
    public String url() {
        return "tcp://" + HOST + ":" + port;
    }

    /**
     * Drops a client's network connection as a failing network would, keeping its session (subscriptions and
     * unacknowledged messages). Returns whether such a client was connected.
     */
    public boolean dropConnection(String clientId) {
        return server.disconnectClient(clientId);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stopServer();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedMqttBroker[" + url() + "]";
    }
}
