package org.twinbridge.connector.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An in-process broker that speaks MQTT 5: HiveMQ Community Edition embedded, on a free port of 127.0.0.1, with
 * in-memory persistence (sessions and queued QoS 1 messages live as long as the broker) and its anonymous usage
 * statistics, on by default, switched off. A small access-control extension refuses subscriptions under
 * {@link #FORBIDDEN_ROOT}, as a broker's ACL would. The node's own embedded broker (Moquette 0.17, used by the
 * demo) speaks MQTT 3.1.1 only; this one exists for the connector's MQTT 5 tests.
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
        // Under the build's target folder: a test JVM that ends before the shutdown hook's clean-up leaves nothing
        // behind that 'mvn clean' does not remove.
        Path base = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tb-hivemq-");
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
                .withEmbeddedExtension(refusingForbiddenSubscriptions())
                .build();
        hivemq.start().get(60, TimeUnit.SECONDS);
        return new EmbeddedMqtt5Broker(hivemq, port, base);
    }

    /** Topic filters under this root are refused in the SUBACK with 0x87 (not authorised); all others are allowed. */
    static final String FORBIDDEN_ROOT = "forbidden/";

    /** What a broker's access control does to a connector subscribed to topics it may not read. */
    private static EmbeddedExtension refusingForbiddenSubscriptions() {
        ExtensionMain main = new ExtensionMain() {
            @Override
            public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
                Services.securityRegistry().setAuthorizerProvider(provider -> (SubscriptionAuthorizer) (in, out) -> {
                    if (in.getSubscription().getTopicFilter().startsWith(FORBIDDEN_ROOT)) {
                        out.failAuthorization(SubackReasonCode.NOT_AUTHORIZED);
                    } else {
                        out.authorizeSuccessfully();
                    }
                });
            }

            @Override
            public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
                // nothing to release
            }
        };
        return EmbeddedExtension.builder().withId("twinbridge-test-acl").withName("TwinBridge test ACL")
                .withVersion("1").withAuthor("TwinBridge").withPriority(0).withStartPriority(1000)
                .withExtensionMain(main).build();
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
