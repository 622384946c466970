package org.twinbridge.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twinbridge.connector.mqtt.MqttConnectorTest.reading;
import static org.twinbridge.connector.mqtt.TestBrokers.await;
import static org.twinbridge.connector.mqtt.TestBrokers.publish;
import static org.twinbridge.connector.mqtt.TestBrokers.publish5;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.testkit.LogCapture;
import org.twinbridge.testkit.RecordingJournal;

/**
 * What is particular to {@code protocol: mqtt5}, against two brokers that speak it: the machine's Mosquitto and an
 * embedded HiveMQ CE. The session (kept by its expiry interval) holds what was published while the node was down;
 * user properties are dropped without ever reaching a log; a refused subscription is a failure, not a quiet feed.
 * The ack-after-commit and redelivery rules, shared with MQTT 3.1.1, are {@link MqttConnectorTest}'s, which runs
 * them over both protocols.
 */
class Mqtt5ConnectorTest {

    private final RecordingJournal journal = new RecordingJournal();
    private final List<DeadLetter> deadLetters = MqttHarness.deadLetterList();
    private final String clientId = "tb5test-" + UUID.randomUUID().toString().substring(0, 8);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hivemq-mqtt5", "mosquitto-mqtt5"})
    void readingsPublishedWhileTheNodeIsDown_areKeptByTheSessionAndArriveWhenItReturns(String kind)
            throws Exception {
        try (TestBrokers.Broker broker = TestBrokers.start(kind)) {
            try (MqttHarness first = startConnector(broker)) {
                await("the first subscription", () -> first.consumer().connects() >= 1);
            }
            for (int i = 0; i < 25; i++) {
                publish(broker, broker.vitals("w-4"), reading("offline5-" + i + "-", 80 + i));
            }
            try (MqttHarness restarted = startConnector(broker)) {
                await("every offline reading", () -> journal.count("offline5-") == 25);
                await("every ack", () -> restarted.consumer().acknowledged() >= 25);
            }
            for (int i = 0; i < 25; i++) {
                assertThat(journal.count("offline5-" + i + "-")).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hivemq-mqtt5", "mosquitto-mqtt5"})
    void userProperties_areIgnored_andNeverLogged(String kind) throws Exception {
        List<String> julRecords = new CopyOnWriteArrayList<>();
        Handler jul = new Handler() {
            @Override
            public void publish(LogRecord record) {
                julRecords.add(record.getLoggerName() + " " + record.getMessage() + " "
                        + java.util.Arrays.toString(record.getParameters())
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(jul);
        try (TestBrokers.Broker broker = TestBrokers.start(kind); LogCapture logs = LogCapture.start()) {
            try (MqttHarness node = startConnector(broker)) {
                publish5(broker, broker.vitals("w-7"), reading("props-ok", 66),
                        Map.of("patient-name", "Jane Roe", "mrn", "MRN-4711"));
                publish5(broker, broker.vitals("w-7"), "not a reading",
                        Map.of("patient-name", "Jane Roe", "mrn", "MRN-4711"));
                await("the reading journalled", () -> journal.count("props-ok") == 1);
                await("the garbage dead-lettered", () -> deadLetters.size() == 1);
                await("both acked", () -> node.consumer().acknowledged() == 2);
            }
            String resource = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                    .encodeResourceToString(journal.records().get(0).resource());
            assertThat(resource).doesNotContain("Jane").doesNotContain("MRN-4711");
            assertThat(deadLetters).singleElement().satisfies(d -> {
                assertThat(d.reason()).doesNotContain("Jane").doesNotContain("MRN-4711");
                assertThat(new String(d.payload(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo("not a reading");
            });
            assertThat(logs.texts()).isNotEmpty()
                    .noneMatch(t -> t.contains("Jane") || t.contains("MRN-4711") || t.contains("patient-name"));
            assertThat(julRecords).noneMatch(t -> t.contains("Jane") || t.contains("MRN-4711")
                    || t.contains("patient-name"));
        } finally {
            root.removeHandler(jul);
        }
    }

    @Test
    void subscriptionRefusedByTheBroker_isAConnectionFailureThatSaysSo() throws Exception {
        try (TestBrokers.Broker broker = TestBrokers.start("hivemq-mqtt5");
                MqttHarness node = MqttHarness.start("wards", Map.of("broker", broker.url(),
                        "topics", List.of(EmbeddedMqtt5Broker.FORBIDDEN_ROOT + broker.filter()), "client-id", clientId,
                        "protocol", "mqtt5"), journal, deadLetters)) {
            await("a refused subscription", () -> node.consumer().lastError().contains("refused subscription"));
            assertThat(node.consumer().lastError()).contains("refused subscription 1 of 1 (reason 0x87)");
            assertThat(node.consumer().connects()).isZero();
            // It goes on trying (the ACL may be fixed), each time from a fresh connection.
            long failures = node.consumer().failedConnects();
            await("another attempt", () -> node.consumer().failedConnects() > failures);
            assertThat(node.consumer().lastError()).contains("refused subscription");
        }
    }

    /** Why the demo (whose embedded broker is Moquette 0.17) stays on MQTT 3.1.1: Moquette refuses MQTT 5. */
    @Test
    void embeddedMoquette_refusesAnMqtt5Connection() throws Exception {
        try (TestBrokers.Broker broker = TestBrokers.start("embedded");
                MqttHarness node = MqttHarness.start("wards", Map.of("broker", broker.url(),
                        "topics", List.of(broker.filter()), "client-id", clientId, "protocol", "mqtt5"),
                        journal, deadLetters)) {
            await("a refused connection", () -> node.consumer().lastError().startsWith("connect failed"));
            assertThat(node.consumer().lastError()).contains("the broker does not speak this MQTT version");
            assertThat(node.consumer().connects()).isZero();
        }
    }

    private MqttHarness startConnector(TestBrokers.Broker broker) throws Exception {
        Map<String, Object> settings = new HashMap<>(Map.of("broker", broker.url(),
                "topics", List.of(broker.filter()), "client-id", clientId, "protocol", "mqtt5",
                "session-expiry", "1h"));
        MqttHarness harness = MqttHarness.start("wards", settings, journal, deadLetters);
        await("the subscription", () -> harness.consumer().connects() >= 1);
        return harness;
    }
}
