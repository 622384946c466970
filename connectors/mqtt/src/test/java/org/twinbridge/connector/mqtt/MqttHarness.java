package org.twinbridge.connector.mqtt;

import org.twinbridge.testkit.RecordingJournal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.twinbridge.sdk.connector.Checkpoints;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.sdk.connector.DeadLetter;

/**
 * One MQTT connector running as the node runs it: its routes in a real Camel context, a {@link RecordingJournal}
 * and a dead-letter list behind the node's two endpoints. The journal and dead letters can outlive the harness,
 * so a test can stop a connector and start another with the same client id, as a node restart does.
 */
final class MqttHarness implements AutoCloseable {

    static final String JOURNAL_URI = "direct:journal";
    static final String DEAD_LETTER_URI = "direct:dead-letters";

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final String connectorId;

    private MqttHarness(String connectorId) {
        this.connectorId = connectorId;
    }

    static MqttHarness start(String connectorId, Map<String, ?> settings, RecordingJournal journal,
            List<DeadLetter> deadLetters) throws Exception {
        MqttHarness harness = new MqttHarness(connectorId);
        harness.camel.getShutdownStrategy().setTimeout(10);
        harness.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(JOURNAL_URI).routeId("journal").errorHandler(noErrorHandler()).process(journal);
                from(DEAD_LETTER_URI).routeId("dead-letters").errorHandler(noErrorHandler())
                        .process(ex -> deadLetters.add(ex.getMessage().getMandatoryBody(DeadLetter.class)));
            }
        });
        harness.camel.addRoutes(new MqttSourceConnector().routes(new Context(connectorId,
                new ConnectorSettings(settings))));
        harness.camel.start();
        return harness;
    }

    static List<DeadLetter> deadLetterList() {
        return new CopyOnWriteArrayList<>();
    }

    /** The running consumer, once its route has started. */
    ManualAckMqttConsumer consumer() {
        return (ManualAckMqttConsumer) camel.getRoute("connector-" + connectorId).getConsumer();
    }

    @Override
    public void close() {
        camel.stop();
    }

    record Context(String connectorId, ConnectorSettings settings) implements ConnectorContext {
        @Override
        public String journalUri() {
            return JOURNAL_URI;
        }

        @Override
        public String deadLetterUri() {
            return DEAD_LETTER_URI;
        }

        @Override
        public String nodeId() {
            return "test";
        }

        @Override
        public Path configDirectory() {
            return Path.of(".").toAbsolutePath();
        }

        @Override
        public Checkpoints checkpoints() {
            return new Checkpoints() {
                @Override
                public Optional<String> get(String name) {
                    return Optional.empty();
                }

                @Override
                public void put(String name, String value) {
                    // the MQTT connector keeps no checkpoints
                }
            };
        }
    }
}
