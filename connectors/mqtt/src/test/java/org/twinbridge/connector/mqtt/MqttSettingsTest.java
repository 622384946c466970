package org.twinbridge.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

class MqttSettingsTest {

    private static MqttSettings settings(Map<String, Object> extra) throws ConnectorConfigException {
        Map<String, Object> values = new HashMap<>(Map.of("broker", "tcp://127.0.0.1:1883"));
        values.putAll(extra);
        return MqttSettings.from(new MqttHarness.Context("wards", new ConnectorSettings(values)));
    }

    @Test
    void maxBatch_defaultsToAThousand() throws Exception {
        assertThat(settings(Map.of()).maxBatch()).isEqualTo(MqttSettings.DEFAULT_MAX_BATCH).isEqualTo(1000);
    }

    @Test
    void maxBatch_takesAWholeNumberUpToTenThousand() throws Exception {
        assertThat(settings(Map.of("max-batch", "1")).maxBatch()).isEqualTo(1);
        assertThat(settings(Map.of("max-batch", "10000")).maxBatch()).isEqualTo(10_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "10001", "lots", "1.5", ""})
    void maxBatch_outOfRangeOrNotANumber_isRefusedNamingTheKeyAndTheRange(String value) {
        assertThatThrownBy(() -> settings(Map.of("max-batch", value)))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("'max-batch' must be a whole number of messages from 1 to 10000");
    }

    @Test
    void protocol_defaultsToMqtt3_andTakesMqtt5WithAWeekOfSessionExpiry() throws Exception {
        assertThat(settings(Map.of()).protocol()).isEqualTo(MqttSettings.Protocol.MQTT3);
        MqttSettings v5 = settings(Map.of("protocol", "mqtt5"));
        assertThat(v5.protocol()).isEqualTo(MqttSettings.Protocol.MQTT5);
        assertThat(v5.sessionExpiry()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(settings(Map.of("protocol", "mqtt5", "session-expiry", "12h")).sessionExpiry())
                .isEqualTo(java.time.Duration.ofHours(12));
        assertThat(settings(Map.of("protocol", "mqtt5", "session-expiry", "never")).sessionExpiry().toSeconds())
                .isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void protocol_unknown_isRefusedNamingTheChoices() {
        assertThatThrownBy(() -> settings(Map.of("protocol", "mqtt4")))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessage("'protocol' must be mqtt3 (MQTT 3.1.1) or mqtt5 (MQTT 5), not 'mqtt4'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "59s", "5", "1w", "-1h", "99999999999s"})
    void sessionExpiry_outOfRangeOrNotADuration_isRefused(String value) {
        assertThatThrownBy(() -> settings(Map.of("protocol", "mqtt5", "session-expiry", value)))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("'session-expiry' must be a duration from 1m");
    }

    @Test
    void sessionExpiry_onMqtt3_isRefused() {
        assertThatThrownBy(() -> settings(Map.of("session-expiry", "1h")))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("'session-expiry' is an MQTT 5 setting");
    }

    @Test
    void tls_onATcpBroker_isRefused() {
        assertThatThrownBy(() -> settings(Map.of("tls", Map.of("truststore", "ca.pem"))))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("'tls' applies to an ssl:// broker");
    }

    @Test
    void tls_unknownKey_isRefusedNamingIt() {
        assertThatThrownBy(() -> settings(Map.of("broker", "ssl://127.0.0.1:8883",
                "tls", Map.of("key-store", "client.p12"))))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("unknown key 'tls.key-store'");
    }

    @Test
    void tls_missingFiles_areRefusedAtStartNamingTheSettingAndTheFile(@TempDir Path dir) throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "s3cret-password");
        assertThatThrownBy(() -> settings(Map.of("broker", "ssl://127.0.0.1:8883",
                "tls", Map.of("truststore", dir.resolve("nope.pem").toString()))))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("'tls.truststore' names " + dir.resolve("nope.pem") + ", which does not "
                        + "exist");
        assertThatThrownBy(() -> settings(Map.of("broker", "ssl://127.0.0.1:8883",
                "tls", Map.of("keystore", dir.resolve("client.p12").toString(),
                        "password-file", pw.toString()))))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("'tls.keystore' names")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void tls_keyStoreWithoutPassword_isRefused(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        assertThatThrownBy(() -> settings(Map.of("broker", "ssl://127.0.0.1:8883",
                "tls", Map.of("keystore", pki.clientKeyStore.toString()))))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("'tls.keystore' needs its password");
    }

    @Test
    void tls_wrongKeyStorePassword_isRefusedWithoutPrintingAnyPassword(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        Path wrong = Files.writeString(dir.resolve("wrong.pw"), "not-the-right-one");
        assertThatThrownBy(() -> settings(Map.of("broker", "ssl://127.0.0.1:8883",
                "tls", Map.of("keystore", pki.clientKeyStore.toString(),
                        "password-file", wrong.toString()))))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("cannot be opened as a PKCS#12 file with the given password")
                .hasMessageNotContaining("not-the-right-one").hasMessageNotContaining(TestPki.PASSWORD);
    }

    @Test
    void tls_trustStoreThatIsNotACertificate_isRefused(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        assertThatThrownBy(() -> settings(Map.of("broker", "ssl://127.0.0.1:8883",
                "tls", Map.of("truststore", pki.serverKeyPem.toString()))))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("'tls.truststore'")
                .hasMessageNotContaining("PRIVATE");
    }

    @Test
    void tls_settings_printNoSecret(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        MqttSettings settings = settings(Map.of("broker", "ssl://localhost:8883", "protocol", "mqtt5",
                "tls", Map.of("keystore", pki.clientKeyStore.toString(),
                        "password-file", pki.passwordFile.toString(), "truststore", pki.caPem.toString())));
        assertThat(settings.tls()).isPresent();
        assertThat(settings.tls().get().hostnameVerification()).isTrue();
        assertThat(settings.toString()).contains("client.p12").doesNotContain(TestPki.PASSWORD);
    }

    @Test
    void hostnameVerification_mustBeTrueOrFalse() {
        assertThatThrownBy(() -> settings(Map.of("broker", "ssl://127.0.0.1:8883",
                "tls", Map.of("hostname-verification", "maybe"))))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessage("'tls.hostname-verification' must be true or false, not 'maybe'");
    }
}
