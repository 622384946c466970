package org.twinbridge.connector.mqtt;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An in-process broker that speaks MQTT 5: HiveMQ Community Edition embedded, on a free port of 127.0.0.1, with
 * in-memory persistence (sessions and queued QoS 1 messages live as long as the broker) and its anonymous usage
 * statistics, on by default, switched off. The node's own embedded broker (Moquette 0.17, used by the demo) speaks
 * MQTT 3.1.1 only; this one exists for the connector's MQTT 5 tests.
 */
final class EmbeddedMqtt5Broker implements AutoCloseable {

    private final EmbeddedHiveMQ hivemq;
    private final int port;
    private final Path base;

    private EmbeddedMqtt5Broker(EmbeddedHiveMQ hivemq, int port, Path base) {
        this.hivemq = hivemq;
        this.port = port;
        this.base = base;
    }

    static EmbeddedMqtt5Broker start() throws Exception {
        Path base = Files.createTempDirectory("tb-hivemq-");
        int port = freePort();
        Path conf = Files.createDirectories(base.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(base.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(base.resolve("extensions")))
                .withoutLoggingBootstrap()
                .build();
        hivemq.start().get(60, TimeUnit.SECONDS);
        return new EmbeddedMqtt5Broker(hivemq, port, base);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            hivemq.stop().get(60, TimeUnit.SECONDS);
        } finally {
            hivemq.close();
            try (var files = Files.walk(base)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
