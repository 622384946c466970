package org.twinbridge.connector.mqtt;

import org.twinbridge.testkit.RecordingJournal;
import org.twinbridge.testkit.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.twinbridge.connector.mqtt.TestBrokers.await;
import static org.twinbridge.connector.mqtt.TestBrokers.publish;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The connector against a real broker: the embedded Moquette (MQTT 3.1.1), the machine's Mosquitto when present
 * (over MQTT 3.1.1 and over MQTT 5) and an embedded HiveMQ CE (MQTT 5). The ack goes only after the journal commit;
 * what the journal refused is redelivered and then journalled once; the same rules hold for both protocols.
 */
class MqttConnectorTest {

    private final RecordingJournal journal = new RecordingJournal();
    private final FailingDeadLetters deadLetters = new FailingDeadLetters();

    /** The dead-letter table, which can be made to refuse its commits as a database outage would. */
    static final class FailingDeadLetters extends java.util.concurrent.CopyOnWriteArrayList<DeadLetter> {
        private static final long serialVersionUID = 1L;
        private volatile boolean failing;
        private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public boolean add(DeadLetter letter) {
            if (failing) {
                refused.incrementAndGet();
                throw new IllegalStateException("TB-TEST dead-letter store unavailable");
            }
            return super.add(letter);
        }
    }
    private final String clientId = "tbtest-" + UUID.randomUUID().toString().substring(0, 8);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "mosquitto", "mosquitto-mqtt5", "hivemq-mqtt5"})
    void reading_isJournalledAcknowledgedAndNotRedeliveredAfterRestart(String kind) throws Exception {
        try (TestBrokers.Broker broker = TestBrokers.start(kind)) {
            try (MqttHarness node = startConnector(broker, Map.of())) {
                publish(broker, broker.vitals("w-1"), reading("hr-1", 72));
                await("the reading to be journalled", () -> journal.count("hr-1") == 1);
                await("the ack", () -> node.consumer().acknowledged() == 1);
                Observation obs = (Observation) journal.records().get(0).resource();
                assertThat(obs.getDevice().getIdentifier().getValue()).isEqualTo("w-1");
            }
            try (MqttHarness restarted = startConnector(broker, Map.of())) {
                publish(broker, broker.vitals("w-1"), reading("marker", 60));
                await("the marker", () -> journal.count("marker") == 1);
            }
            assertThat(journal.count("hr-1")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "mosquitto", "mosquitto-mqtt5", "hivemq-mqtt5"})
    void journalFailure_leavesTheMessageUnacknowledged_thenItIsRedeliveredAndJournalledOnce(String kind)
            throws Exception {
        try (TestBrokers.Broker broker = TestBrokers.start(kind); LogCapture logs = LogCapture.start();
                MqttHarness node = startConnector(broker, Map.of())) {
            journal.fail("database down while writing Jane Roe's reading");
            publish(broker, broker.vitals("bed-12"), reading("hr-2", 131));
            await("a refused commit", () -> journal.refused() >= 1 && node.consumer().failed() >= 1);
            assertThat(node.consumer().acknowledged()).isZero();
            assertThat(journal.count("hr-2")).isZero();

            journal.recover();
            await("the redelivered reading to be journalled", () -> journal.count("hr-2") == 1);
            publish(broker, broker.vitals("bed-12"), reading("marker", 60));
            await("the marker", () -> journal.count("marker") == 1);

            assertThat(journal.count("hr-2")).isEqualTo(1);
            assertThat(node.consumer().received()).isGreaterThan(node.consumer().acknowledged());
            assertThat(logs.texts()).isNotEmpty().noneMatch(t -> t.contains("Jane") || t.contains("bed-12")
                    || t.contains("131") || t.contains("hr-2"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "mosquitto", "mosquitto-mqtt5", "hivemq-mqtt5"})
    void invalidPayload_becomesADeadLetterAndIsAcknowledged(String kind) throws Exception {
        try (TestBrokers.Broker broker = TestBrokers.start(kind)) {
            try (MqttHarness node = startConnector(broker, Map.of())) {
                publish(broker, broker.vitals("w-3"), "pulse 72 for Jane Roe");
                publish(broker, broker.vitals("w-3"), "{\"heart_rate\":{\"value\":72,\"unit\":\"beat/min\"},"
                        + "\"effective_time_frame\":{\"date_time\":\"2024-01-01T00:00:00Z\"}}");
                await("two dead letters", () -> deadLetters.size() == 2);
                await("both acked", () -> node.consumer().acknowledged() == 2);
            }
            try (MqttHarness restarted = startConnector(broker, Map.of())) {
                publish(broker, broker.vitals("w-3"), reading("marker", 60));
                await("the marker", () -> journal.count("marker") == 1);
            }
            assertThat(deadLetters).extracting(DeadLetter::reasonCode).containsExactly("TB-PAYLOAD-001", "TB-OMH-003");
            assertThat(deadLetters).extracting(DeadLetter::reason).noneMatch(r -> r.contains("Jane"));
            assertThat(new String(deadLetters.get(0).payload(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("pulse 72 for Jane Roe");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "hivemq-mqtt5"})
    void invalidPayload_isAcknowledgedOnlyAfterItsDeadLetterIsCommitted(String kind) throws Exception {
        try (TestBrokers.Broker broker = TestBrokers.start(kind);
                MqttHarness node = startConnector(broker, Map.of())) {
            deadLetters.failing = true;
            publish(broker, broker.vitals("w-9"), "{\"not\": \"a reading of Jane Roe\"}");
            await("a refused dead letter", () -> deadLetters.refused.get() >= 1 && node.consumer().failed() >= 1);
            assertThat(node.consumer().acknowledged()).isZero();
            assertThat(deadLetters).isEmpty();

            deadLetters.failing = false;
            await("the redelivered message dead-lettered", () -> deadLetters.size() == 1);
            await("then acknowledged", () -> node.consumer().acknowledged() == 1);
            publish(broker, broker.vitals("w-9"), reading("after-dead-letter", 70));
            await("a good reading after it", () -> journal.count("after-dead-letter") == 1);
            assertThat(deadLetters).singleElement().satisfies(d -> assertThat(d.reason()).doesNotContain("Jane"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "mosquitto", "mosquitto-mqtt5", "hivemq-mqtt5"})
    void readingsPublishedWhileTheNodeIsDown_arriveWhenItReturns(String kind) throws Exception {
        try (TestBrokers.Broker broker = TestBrokers.start(kind)) {
            try (MqttHarness first = startConnector(broker, Map.of())) {
                await("the first subscription", () -> first.consumer().connects() >= 1);
            }
            publish(broker, broker.vitals("w-4"), reading("offline-1", 80));
            publish(broker, broker.vitals("w-4"), reading("offline-2", 82));
            try (MqttHarness restarted = startConnector(broker, Map.of())) {
                await("both offline readings", () -> journal.count("offline-") == 2);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded"})
    void droppedConnection_isResumedAndReadingsKeepFlowing(String kind) throws Exception {
        try (TestBrokers.Broker broker = TestBrokers.start(kind);
                MqttHarness node = startConnector(broker, Map.of())) {
            await("the first subscription", () -> node.consumer().connects() >= 1);
            assertThat(broker.embedded().dropConnection(clientId)).isTrue();
            await("the reconnect", () -> node.consumer().connects() >= 2);
            publish(broker, broker.vitals("w-5"), reading("after-drop", 90));
            await("the reading after the drop", () -> journal.count("after-drop") == 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded"})
    void configuredBindings_areJournalledAsDeviceRecordsPointingAtThePatient(String kind) throws Exception {
        try (TestBrokers.Broker broker = TestBrokers.start(kind);
                MqttHarness node = startConnector(broker, Map.of("patient-source", "ehr",
                        "devices", Map.of("w-6", "Patient/p-6", "w-7", "https://hospital.example/mrn|MRN-7")))) {
            await("two binding records", () -> journal.count("binding/") == 2);
            List<Device> devices = journal.records().stream().map(CanonicalRecord::resource)
                    .map(Device.class::cast).toList();
            assertThat(devices).extracting(d -> d.getIdentifierFirstRep().getValue() + " -> "
                    + d.getPatient().getIdentifier().getSystem() + "|" + d.getPatient().getIdentifier().getValue())
                    .containsExactlyInAnyOrder("w-6 -> urn:twinbridge:source:ehr|Patient/p-6",
                            "w-7 -> https://hospital.example/mrn|MRN-7");
            assertThat(devices).allMatch(d -> d.getIdentifierFirstRep().getSystem()
                    .equals("urn:twinbridge:device:wards"));
        }
    }

    private MqttHarness startConnector(TestBrokers.Broker broker, Map<String, ?> extra) throws Exception {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("broker", broker.url(),
                "topics", List.of(broker.filter()), "client-id", clientId, "protocol", broker.protocol()));
        settings.putAll(extra);
        MqttHarness harness = MqttHarness.start("wards", settings, journal, deadLetters);
        // Until the first subscription, a broker may drop what is published to a topic nobody has subscribed to.
        await("the subscription", () -> harness.consumer().connects() >= 1);
        return harness;
    }

    /** An Open mHealth heart-rate data point whose header id carries the marker. */
    static String reading(String marker, int bpm) {
        return """
                {"header":{"id":"%s","creation_date_time":"2024-05-01T10:00:05Z",
                  "schema_id":{"namespace":"omh","name":"heart-rate","version":"2.0"}},
                 "body":{"heart_rate":{"value":%d,"unit":"beats/min"},
                   "effective_time_frame":{"date_time":"2024-05-01T10:00:00Z"}}}
                """.formatted(marker, bpm);
    }
}
