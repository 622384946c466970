package org.twinbridge.runtime.sink;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.embedded.fhir.EmbeddedFhirServer;
import org.twinbridge.embedded.fhir.InMemoryFhirStore;
import org.twinbridge.embedded.mqtt.EmbeddedMqttBroker;
import org.twinbridge.runtime.testing.TestNode;

/** The FHIR write-back sink against the embedded HAPI FHIR server, and the MQTT sink against Moquette. */
class SinkReceiversIT {

    @TempDir
    Path dir;
    private SinkFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SinkFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void fhirWriteBack_storesTheAlertAboutThePatient_underItsOutputId_onceEvenWhenSentTwice() throws Exception {
        InMemoryFhirStore store = new InMemoryFhirStore(List.of(Patient.class, Flag.class, Observation.class,
                RiskAssessment.class), Clock.systemUTC());
        try (EmbeddedFhirServer ehr = EmbeddedFhirServer.start(0, FhirContext.forR4Cached(), store)) {
            SinkWorker sink = fixture.worker(SinkFixture.sink("ehr-write-back", "fhir", "TREAT", ehr.baseUrl()),
                    "TREAT");
            fixture.alerts(2, "TREAT");

            assertThat(sink.deliverDue()).isEqualTo(2);

            List<Flag> flags = store.search(Flag.class, f -> true);
            assertThat(flags).hasSize(2).allSatisfy(f -> {
                assertThat(f.getSubject().getReference()).isEqualTo("Patient/p1");
                assertThat(f.getIdElement().getIdPart()).startsWith(TestNode.NODE_ID + "-output-");
                assertThat(f.getIdentifierFirstRep().getSystem()).isEqualTo(SinkWorker.OUTPUT_ID_SYSTEM);
            });

            // At-least-once: a redelivery of the same output (say, after a lost response) rewrites, not duplicates.
            Flag again = flags.get(0).copy();
            Sinks.create(SinkFixture.sink("ehr-write-back", "fhir", "TREAT", ehr.baseUrl()), TestNode.NODE_ID)
                    .deliver(new SinkMessage(again.getIdElement().getIdPart(), SinkFixture.PLUGIN, "ALERT", "again",
                            again, true));
            assertThat(store.search(Flag.class, f -> true)).hasSize(2);
        }
    }

    @Test
    void fhirWriteBack_whileTheServerIsDown_waitsAndLosesNothing() throws Exception {
        InMemoryFhirStore store = new InMemoryFhirStore(List.of(Flag.class), Clock.systemUTC());
        int port;
        try (EmbeddedFhirServer probe = EmbeddedFhirServer.start(0, FhirContext.forR4Cached(), store)) {
            port = probe.port();
        }
        String baseUrl = "http://127.0.0.1:" + port + EmbeddedFhirServer.BASE_PATH;
        SinkWorker sink = fixture.worker(SinkFixture.sink("ehr-write-back", "fhir", "TREAT", baseUrl), "TREAT");
        fixture.alerts(1, "TREAT");

        assertThat(sink.deliverDue()).isZero();

        try (EmbeddedFhirServer ehr = EmbeddedFhirServer.start(port, FhirContext.forR4Cached(), store)) {
            fixture.clock.advance(java.time.Duration.ofSeconds(1));
            assertThat(sink.deliverDue()).isEqualTo(1);
            assertThat(store.search(Flag.class, f -> true)).hasSize(1);
        }
    }

    @Test
    void mqtt_publishesEachAlertAtQos1_toThePluginsTopic_pseudonymousForResearch() throws Exception {
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(0)) {
            List<String> messages = new CopyOnWriteArrayList<>();
            List<String> topics = new CopyOnWriteArrayList<>();
            MqttClient subscriber = new MqttClient(broker.url(), "sink-test-subscriber", new MemoryPersistence());
            subscriber.connect(new MqttConnectOptions());
            subscriber.subscribe("alerts/#", 1, (topic, message) -> {
                topics.add(topic);
                messages.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            });
            SinkWorker sink = fixture.worker(SinkFixture.sink("research-alerts", "mqtt", "HRESCH", broker.url()),
                    "TREAT");
            fixture.alerts(3, "TREAT");

            assertThat(sink.deliverDue()).isEqualTo(3);

            org.twinbridge.testkit.Await.until("three alerts at the subscriber", () -> messages.size() >= 3,
                    messages::size);
            subscriber.disconnect();
            subscriber.close();
            assertThat(topics).hasSize(3).containsOnly("alerts/" + SinkFixture.PLUGIN + "/alert");
            assertThat(messages).allSatisfy(m -> assertThat(m).contains("\"resourceType\":\"Flag\"")
                    .contains("\"id\":\"" + TestNode.NODE_ID + "-output-").doesNotContain("Patient/p1")
                    .doesNotContain(SinkFixture.MRN));
            sink.close();
        }
    }
}
