package org.twinbridge.connector.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageType;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.sdk.connector.SourceConnector;

/** What the hl7v2 connector's settings accept, and how a mistake is reported: by the key, with what is allowed. */
class Hl7v2SettingsTest {

    private static final String UNSET_ENV = "TWINBRIDGE_TEST_UNSET_3E9A51";
    @TempDir
    static Path dir;

    @Test
    void connector_isFoundByServiceLoader_underTypeHl7v2() {
        assertThat(ServiceLoader.load(SourceConnector.class).stream().map(ServiceLoader.Provider::get)
                .filter(c -> c.type().equals("hl7v2")).findFirst()).get()
                .isInstanceOf(Hl7v2SourceConnector.class)
                .satisfies(c -> assertThat(c.settingKeys()).containsExactlyInAnyOrder("listen", "tls", "senders",
                        "message-types", "assigning-authorities", "default-identifier-system", "charset",
                        "timezone", "max-connections"));
    }

    @Test
    void minimalSettings_takeTheDefaults() throws Exception {
        Hl7v2Settings settings = Hl7v2Settings.from(new ConnectorSettings(Map.of("listen", "127.0.0.1:2575")));

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(2575);
        assertThat(settings.tls()).isEmpty();
        assertThat(settings.senders()).isEmpty();
        assertThat(settings.messageTypes()).containsExactlyInAnyOrder(MessageType.values());
        assertThat(settings.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(settings.zone()).isEqualTo(ZoneId.systemDefault());
        assertThat(settings.maxConnections()).isEqualTo(5);
    }

    @Test
    void fullSettings_areRead() throws Exception {
        Hl7v2Settings settings = Hl7v2Settings.from(new ConnectorSettings(Map.of(
                "listen", "[::1]:12575",
                "senders", List.of("LAB", "ADT^HOSP"),
                "message-types", List.of("ORU^R01", "adt^a40"),
                "assigning-authorities", Map.of("HOSP", "http://hospital.example.org/mrn"),
                "default-identifier-system", "urn:oid:1.2.3.4",
                "charset", "ISO-8859-1",
                "timezone", "Europe/London",
                "max-connections", "20")));

        assertThat(settings.host()).isEqualTo("::1");
        assertThat(settings.senders()).extracting(s -> s.application() + "/" + s.facility().orElse("*"))
                .containsExactly("LAB/*", "ADT/HOSP");
        assertThat(settings.messageTypes()).containsExactlyInAnyOrder(MessageType.ORU_R01, MessageType.ADT_A40);
        assertThat(settings.assigningAuthorities()).containsEntry("HOSP", "http://hospital.example.org/mrn");
        assertThat(settings.defaultIdentifierSystem()).contains("urn:oid:1.2.3.4");
        assertThat(settings.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(settings.zone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(settings.maxConnections()).isEqualTo(20);
    }

    static Stream<Arguments> invalidSettings() throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "secret");
        Path notAKeystore = Files.writeString(dir.resolve("not-a-keystore.p12"), "plain text");
        return Stream.of(
                arguments("missing listen", Map.of(), "listen"),
                arguments("listen without port", with("listen", "127.0.0.1"), "listen"),
                arguments("port 0", with("listen", "127.0.0.1:0"), "listen"),
                arguments("port above 65535", with("listen", "127.0.0.1:70000"), "listen"),
                arguments("listen not a string", with("listen", List.of("127.0.0.1:2575")), "listen"),
                arguments("sender with empty facility", with("senders", List.of("LAB^")), "senders"),
                arguments("sender with three parts", with("senders", List.of("A^B^C")), "senders"),
                arguments("unsupported message type", with("message-types", List.of("ORM^O01")), "message-types"),
                arguments("no message types", with("message-types", List.of()), "message-types"),
                arguments("assigning authority not a URI", with("assigning-authorities", Map.of("HOSP", "hospital")),
                        "assigning-authorities"),
                arguments("default system not a URI", with("default-identifier-system", "mrn"),
                        "default-identifier-system"),
                arguments("unknown charset", with("charset", "EBCDIC-NOPE"), "charset"),
                arguments("unknown zone", with("timezone", "Mars/Olympus"), "timezone"),
                arguments("max-connections 0", with("max-connections", "0"), "max-connections"),
                arguments("max-connections not a number", with("max-connections", "many"), "max-connections"),
                arguments("tls not a mapping", with("tls", "on"), "tls"),
                arguments("tls unknown key", with("tls", Map.of("keystor", "x.p12")), "tls"),
                arguments("tls without password source", with("tls", Map.of("keystore", "x.p12")), "tls"),
                arguments("tls password-env unset", with("tls", Map.of("keystore", "x.p12",
                        "password-env", UNSET_ENV)), "tls"),
                arguments("tls keystore missing", with("tls", Map.of("keystore", dir.resolve("absent.p12")
                        .toString(), "password-file", password.toString())), "tls"),
                arguments("tls keystore not a keystore", with("tls", Map.of("keystore", notAKeystore.toString(),
                        "password-file", password.toString())), "tls"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void invalidSetting_isReportedByItsKey(String description, Map<String, Object> settings, String key) {
        assertThatThrownBy(() -> new Hl7v2SourceConnector().routes(new FixedContext(new ConnectorSettings(settings))))
                .isInstanceOfSatisfying(ConnectorConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.getMessage()).contains("'" + key).doesNotContain("secret");
                });
    }

    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> settings = new HashMap<>(Map.of("listen", "127.0.0.1:2575"));
        settings.put(key, value);
        return settings;
    }

    private record FixedContext(ConnectorSettings settings) implements org.twinbridge.sdk.connector.ConnectorContext {
        @Override
        public String connectorId() {
            return "lab";
        }

        @Override
        public String journalUri() {
            return "direct:journal";
        }

        @Override
        public String nodeId() {
            return "test-node";
        }

        @Override
        public String deadLetterUri() {
            return "direct:no-dead-letters-in-hl7-tests";
        }

        @Override
        public org.twinbridge.sdk.connector.Checkpoints checkpoints() {
            throw new UnsupportedOperationException();
        }
    }
}
