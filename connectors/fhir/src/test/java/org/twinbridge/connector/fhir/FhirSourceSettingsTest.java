package org.twinbridge.connector.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.sdk.connector.SourceConnector;

/** What {@link FhirSourceConnector#routes} accepts, and how it rejects the rest. */
class FhirSourceSettingsTest {

    private static final String BASE_URL = "https://fhir.example.org/r4";
    // No test machine sets this.
    private static final String UNSET_ENV = "TWINBRIDGE_TEST_UNSET_7C1D4B";
    @TempDir
    static Path dir;

    static Stream<Arguments> invalidSettings() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s3cret");
        return Stream.of(
                arguments("missing base-url", Map.of("poll", "1s"), "base-url"),
                arguments("ftp base-url", Map.of("base-url", "ftp://fhir.example.org/r4"), "base-url"),
                arguments("base-url without scheme", Map.of("base-url", "fhir.example.org/r4"), "base-url"),
                arguments("unparseable base-url", Map.of("base-url", "http://fhir example.org"), "base-url"),
                arguments("base-url not a string", Map.of("base-url", List.of(BASE_URL)), "base-url"),
                arguments("poll below 100ms", with("poll", "99ms"), "poll"),
                arguments("poll not a duration", with("poll", "soon"), "poll"),
                arguments("no resources", with("resources", List.of()), "resources"),
                arguments("page-size 0", with("page-size", "0"), "page-size"),
                arguments("page-size 1001", with("page-size", "1001"), "page-size"),
                arguments("page-size not a number", with("page-size", "lots"), "page-size"),
                arguments("unknown auth type", with("auth", Map.of("type", "kerberos")), "auth"),
                arguments("bearer with token-env and token-file", with("auth", Map.of("type", "bearer",
                        "token-env", UNSET_ENV, "token-file", secret.toString())), "auth"),
                arguments("bearer with neither token-env nor token-file", with("auth", Map.of("type", "bearer")),
                        "auth"),
                arguments("basic with password-env and password-file", with("auth", Map.of("type", "basic",
                        "username", "u", "password-env", UNSET_ENV, "password-file", secret.toString())), "auth"),
                arguments("bearer token-env not set", with("auth", Map.of("type", "bearer",
                        "token-env", UNSET_ENV)), "auth"),
                arguments("bearer token-file missing", with("auth", Map.of("type", "bearer",
                        "token-file", dir.resolve("absent").toString())), "auth"),
                arguments("auth not a mapping", with("auth", "bearer"), "auth"),
                arguments("unknown resource type", with("resources", List.of("Patient", "Patients")), "resources"),
                arguments("retry.max-attempts 0", with("retry", Map.of("max-attempts", "0")), "retry"),
                arguments("retry.max-attempts not a number", with("retry", Map.of("max-attempts", "many")), "retry"),
                arguments("retry.jitter above 1", with("retry", Map.of("jitter", "1.5")), "retry"),
                arguments("retry.multiplier below 1", with("retry", Map.of("multiplier", "0.5")), "retry"),
                arguments("retry.max-backoff below initial", with("retry", Map.of("initial-backoff", "10s",
                        "max-backoff", "1s")), "retry"),
                arguments("retry.initial-backoff not a duration", with("retry", Map.of("initial-backoff", "fast")),
                        "retry"),
                arguments("unknown retry key", with("retry", Map.of("attempts", "3")), "retry"),
                arguments("retry not a mapping", with("retry", "3"), "retry"),
                arguments("timeouts.read 0", with("timeouts", Map.of("read", "0s")), "timeouts"),
                arguments("unknown timeouts key", with("timeouts", Map.of("write", "1s")), "timeouts"),
                arguments("circuit-breaker.failure-threshold 0", with("circuit-breaker",
                        Map.of("failure-threshold", "0")), "circuit-breaker"),
                arguments("bulk-export.enabled not a boolean", with("bulk-export", Map.of("enabled", "yes")),
                        "bulk-export"),
                arguments("bulk-export.level unknown", with("bulk-export", Map.of("enabled", "true",
                        "level", "ward")), "bulk-export"),
                arguments("bulk-export level group without group-id", with("bulk-export", Map.of("enabled", "true",
                        "level", "group")), "bulk-export"),
                arguments("bulk-export.status-interval below 1s", with("bulk-export", Map.of("enabled", "true",
                        "status-interval", "500ms")), "bulk-export"),
                arguments("unknown bulk-export key", with("bulk-export", Map.of("since", "2020")), "bulk-export"),
                arguments("circuit-breaker.open-for not a duration", with("circuit-breaker",
                        Map.of("open-for", "a while")), "circuit-breaker"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void routes_withInvalidSetting_failsNamingTheKey(String why, Map<String, Object> settings, String key) {
        assertThat(System.getenv(UNSET_ENV)).isNull();

        assertThatThrownBy(() -> new FhirSourceConnector().routes(new FixedConnectorContext("ehr",
                new ConnectorSettings(settings), "direct:journal", new InMemoryCheckpoints())))
                .isInstanceOfSatisfying(ConnectorConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.getMessage()).contains("'" + key);
                });
    }

    @Test
    void from_withOnlyBaseUrl_usesDefaults() throws Exception {
        FhirSourceSettings settings = FhirSourceSettings.from(new ConnectorSettings(Map.of("base-url", BASE_URL)));

        assertThat(settings.baseUrl()).isEqualTo(BASE_URL);
        assertThat(settings.poll()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.resources()).isEqualTo(FhirSourceConnector.DEFAULT_RESOURCES);
        assertThat(settings.pageSize()).isEqualTo(100);
        assertThat(settings.auth()).isEqualTo(new FhirAuth.None());
        assertThat(settings.resilience()).isEqualTo(ResilienceSettings.DEFAULTS);
        assertThat(settings.bulkExport()).isEmpty();
    }

    @Test
    void from_withBulkExportForAGroup_readsItsKickOffPath() throws Exception {
        FhirSourceSettings settings = FhirSourceSettings.from(new ConnectorSettings(Map.of("base-url", BASE_URL,
                "bulk-export", Map.of("enabled", "true", "level", "group", "group-id", "ward-7",
                        "status-interval", "30s"))));

        assertThat(settings.bulkExport()).hasValueSatisfying(bulk -> {
            assertThat(bulk.kickOffPath()).isEqualTo("/Group/ward-7/$export");
            assertThat(bulk.statusInterval()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void from_withResilienceSections_readsEveryKey() throws Exception {
        FhirSourceSettings settings = FhirSourceSettings.from(new ConnectorSettings(Map.of("base-url", BASE_URL,
                "timeouts", Map.of("connect", "2s", "read", "45s"),
                "retry", Map.of("max-attempts", "6", "initial-backoff", "250ms", "max-backoff", "1m",
                        "multiplier", "3", "jitter", "0", "max-retry-after", "10m"),
                "circuit-breaker", Map.of("failure-threshold", "8", "open-for", "2m"))));

        assertThat(settings.resilience()).isEqualTo(new ResilienceSettings(Duration.ofSeconds(2),
                Duration.ofSeconds(45), new RetryPolicy(6, Duration.ofMillis(250), Duration.ofMinutes(1), 3.0, 0.0,
                        Duration.ofMinutes(10)), 8, Duration.ofMinutes(2)));
    }

    @Test
    void from_atTheLimits_accepts() throws Exception {
        FhirSourceSettings settings = FhirSourceSettings.from(new ConnectorSettings(Map.of(
                "base-url", "http://127.0.0.1:8080/fhir", "poll", "100ms", "page-size", " 1000 ",
                "resources", List.of("Observation"))));

        assertThat(settings.poll()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.pageSize()).isEqualTo(1000);
        assertThat(settings.resources()).containsExactly("Observation");
    }

    @Test
    void connector_isFoundByServiceLoader_asTypeFhir_withItsSettingKeys() {
        List<SourceConnector> fhir = ServiceLoader.load(SourceConnector.class).stream()
                .map(ServiceLoader.Provider::get).filter(c -> c.type().equals("fhir")).toList();

        assertThat(fhir).singleElement().isInstanceOf(FhirSourceConnector.class);
        assertThat(fhir.get(0).settingKeys())
                .containsExactlyInAnyOrder("base-url", "poll", "resources", "page-size", "auth", "timeouts", "retry",
                        "circuit-breaker", "bulk-export");
    }

    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> settings = new HashMap<>(Map.of("base-url", BASE_URL));
        settings.put(key, value);
        return settings;
    }
}
