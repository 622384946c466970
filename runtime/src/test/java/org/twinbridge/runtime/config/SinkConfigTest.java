package org.twinbridge.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.policy.yaml.LocatedError;

/** The {@code sinks:} section: what it accepts, and how it says what is wrong. */
class SinkConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of());

    private NodeConfig parse(String yaml) throws ConfigException {
        return loader.parse("node.yaml", Path.of("/etc/twinbridge"), new StringReader(yaml));
    }

    private List<LocatedError> errorsOf(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml)).errors();
    }

    @Test
    void parse_everySinkType_withDefaultsAndFilters() throws Exception {
        NodeConfig config = parse("""
                node: { id: st-marys }
                sinks:
                  - { id: care-team-alerts, type: mqtt, broker: "tcp://127.0.0.1:1883", topic: "alerts/{plugin}",
                      purpose: TREAT, kinds: [ALERT] }
                  - { id: ehr-write-back, type: fhir, base-url: "http://ehr.local/fhir", purpose: TREAT,
                      token-env: EHR_TOKEN, plugins: [news2-twin] }
                  - { id: research, type: webhook, url: "https://research.local/hook", purpose: HRESCH,
                      retry-backoff: 500ms, retry-max-backoff: 1h, timeout: 30s }
                  - { id: audit-log, type: log, purpose: HOPERAT }
                """);

        assertThat(config.sinks()).extracting(NodeConfig.Sink::id)
                .containsExactly("care-team-alerts", "ehr-write-back", "research", "audit-log");
        NodeConfig.Sink mqtt = config.sinks().get(0);
        assertThat(mqtt.topic()).contains("alerts/{plugin}");
        assertThat(mqtt.kinds()).containsExactly("ALERT");
        assertThat(mqtt.treatment()).isTrue();
        assertThat(mqtt.backoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.sinks().get(1).token()).isPresent();
        assertThat(config.sinks().get(1).plugins()).isEqualTo(Set.of("news2-twin"));
        NodeConfig.Sink research = config.sinks().get(2);
        assertThat(research.treatment()).isFalse();
        assertThat(research.backoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(research.maxBackoff()).isEqualTo(Duration.ofHours(1));
        assertThat(research.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.sinks().get(3).target()).isEqualTo(Optional.empty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown type          | '- { id: s, type: pager, purpose: TREAT }'                                    | TB-CONFIG-004 | unknown sink type 'pager'; available: fhir, log, mqtt, webhook",
        "missing purpose       | '- { id: s, type: log }'                                                      | TB-YAML-002   | missing key 'sinks[0].purpose'",
        "unknown purpose       | '- { id: s, type: log, purpose: TREATMENT }'                                  | TB-CONFIG-004 | unknown purpose of use 'TREATMENT'",
        "wildcard topic        | '- { id: s, type: mqtt, purpose: TREAT, broker: \"tcp://h:1883\", topic: \"a/#\" }' | TB-CONFIG-004 | may not hold the wildcards",
        "bad url               | '- { id: s, type: webhook, purpose: TREAT, url: \"ftp://x\" }'                  | TB-CONFIG-004 | must start with http:// or https://",
        "key of another type   | '- { id: s, type: log, purpose: TREAT, url: \"http://x\" }'                     | TB-YAML-001   | unknown key",
        "bad duration          | '- { id: s, type: log, purpose: TREAT, retry-backoff: soon }'                  | TB-CONFIG-004 | must be a duration such as",
        "unknown kind          | '- { id: s, type: log, purpose: TREAT, kinds: [ALARM] }'                        | TB-CONFIG-004 | unknown output kind 'ALARM'",
    })
    void parse_aBadSink_isReportedAtItsLine(String name, String entry, String code, String message) {
        List<LocatedError> errors = errorsOf("node: { id: n1 }\nsinks:\n  " + entry + "\n");

        assertThat(errors).anySatisfy(e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.message()).contains(message);
            assertThat(e.line()).isEqualTo(3);
        });
    }

    @Test
    void parse_aSinkIdUsedTwice_isAnError() {
        assertThat(errorsOf("""
                node: { id: n1 }
                sinks:
                  - { id: s, type: log, purpose: TREAT }
                  - { id: s, type: log, purpose: HRESCH }
                """)).singleElement().satisfies(e -> {
                    assertThat(e.code()).isEqualTo("TB-CONFIG-006");
                    assertThat(e.line()).isEqualTo(4);
                });
    }
}
