package org.twinbridge.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twinbridge.connector.mqtt.TestBrokers.await;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.testkit.LogCapture;
import org.twinbridge.testkit.RecordingJournal;

/**
 * The connector over TLS against a Mosquitto this test starts with {@code require_certificate true}: a client
 * certificate from the test CA gets readings through, over MQTT 3.1.1 and MQTT 5; a client without one, or with
 * one from another CA, is refused by the broker; a broker whose certificate the connector does not trust, or that
 * does not name the broker's host, is refused by the connector with a TB-MQTT-013 that says which.
 */
class MqttTlsTest {

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TlsMosquitto broker;

    private final RecordingJournal journal = new RecordingJournal();
    private final List<DeadLetter> deadLetters = MqttHarness.deadLetterList();
    private final String root = "tbtls-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startBroker() throws Exception {
        pki = TestPki.create(dir);
        broker = TlsMosquitto.start(pki, dir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqtt3", "mqtt5"})
    void trustedClientCertificate_readingsArriveOverTlsAndAreAcknowledged(String protocol) throws Exception {
        try (LogCapture logs = LogCapture.start();
                MqttHarness node = start(broker.url(), protocol, tls(pki.clientKeyStore, pki.caPem))) {
            await("the subscription over TLS", () -> node.consumer().connects() >= 1);
            publish(root + "/devices/w-1/vitals", MqttConnectorTest.reading("tls-" + protocol, 71));
            await("the reading to be journalled", () -> journal.count("tls-" + protocol) == 1);
            await("its ack", () -> node.consumer().acknowledged() == 1);
            assertThat(logs.texts()).noneMatch(t -> t.contains(TestPki.PASSWORD));
        }
    }

    @Test
    void pkcs12TrustStore_worksAsWellAsAPemBundle() throws Exception {
        Map<String, Object> tls = tls(pki.clientKeyStore, pki.trustStore);
        tls.put("truststore-password-file", pki.passwordFile.toString());
        try (MqttHarness node = start(broker.url(), "mqtt5", tls)) {
            await("the subscription over TLS", () -> node.consumer().connects() >= 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqtt3", "mqtt5"})
    void clientWithoutACertificate_isRefusedByTheBroker(String protocol) throws Exception {
        Map<String, Object> tls = new HashMap<>(Map.of("truststore", pki.caPem.toString()));
        assertRefused(broker.url(), protocol, tls, "TLS");
    }

    @Test
    void clientCertificateFromAnotherCa_isRefusedByTheBroker() throws Exception {
        assertRefused(broker.url(), "mqtt5", tls(pki.rogueClientKeyStore, pki.caPem), "TLS");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqtt3", "mqtt5"})
    void untrustedBrokerCertificate_isRefusedWithAClearError(String protocol) throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            String error = assertRefused(broker.url(), protocol, tls(pki.clientKeyStore, pki.rogueCaPem),
                    "not trusted");
            assertThat(error).contains("TLS: the broker's certificate is not trusted");
            assertThat(logs.texts()).anyMatch(t -> t.startsWith("TB-MQTT-013") && t.contains("not trusted"))
                    .noneMatch(t -> t.contains(TestPki.PASSWORD));
        }
    }

    @Test
    void brokerCertificateNotNamingTheHost_isRefused_unlessHostnameVerificationIsSwitchedOff() throws Exception {
        String error = assertRefused(broker.urlByAddress(), "mqtt5", tls(pki.clientKeyStore, pki.caPem),
                "does not name");
        assertThat(error).contains("does not name 127.0.0.1");

        Map<String, Object> unverified = tls(pki.clientKeyStore, pki.caPem);
        unverified.put("hostname-verification", "false");
        try (MqttHarness node = start(broker.urlByAddress(), "mqtt5", unverified)) {
            await("the subscription without hostname verification", () -> node.consumer().connects() >= 1);
        }
    }

    /** Starts a connector that must fail to connect; returns its last error once it names {@code expected}. */
    private String assertRefused(String url, String protocol, Map<String, Object> tls, String expected)
            throws Exception {
        try (MqttHarness node = start(url, protocol, tls)) {
            await("a refused TLS connection", () -> node.consumer().lastError().contains(expected));
            assertThat(node.consumer().connects()).isZero();
            assertThat(node.consumer().connected()).isFalse();
            return node.consumer().lastError();
        }
    }

    private Map<String, Object> tls(Path keyStore, Path trustStore) {
        return new HashMap<>(Map.of("keystore", keyStore.toString(),
                "password-file", pki.passwordFile.toString(), "truststore", trustStore.toString()));
    }

    private MqttHarness start(String url, String protocol, Map<String, Object> tls) throws Exception {
        return MqttHarness.start("wards", Map.of("broker", url, "topics", List.of(root + "/devices/+/vitals"),
                "client-id", "tbtls-" + UUID.randomUUID().toString().substring(0, 8), "protocol", protocol,
                "tls", tls), journal, deadLetters);
    }

    /** Publishes at QoS 1 over TLS as a device holding a certificate from the test CA. */
    private static void publish(String topic, String payload) throws Exception {
        MqttClient client = new MqttClient(broker.url(), "tbpub-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        try {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(clientContext().getSocketFactory());
            client.connect(options);
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
            client.disconnect();
        } finally {
            client.close();
        }
    }

    private static SSLContext clientContext() throws Exception {
        char[] password = TestPki.PASSWORD.toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.clientKeyStore)) {
            keys.load(in, password);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.trustStore)) {
            trust.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
