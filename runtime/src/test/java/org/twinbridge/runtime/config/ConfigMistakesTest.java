package org.twinbridge.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twinbridge.policy.yaml.LocatedError;
import org.twinbridge.runtime.retry.RetryPolicy;

/**
 * Every kind of mistake a node configuration can hold, as a table: the file, and the first error it must give,
 * {@code file:line:column: code} and a phrase of the message. Hostile files (an alias bomb, deep nesting) get a
 * located error too, without hanging.
 */
class ConfigMistakesTest {

    private static final Path BASE = Path.of("/etc/twinbridge");
    private final ConfigLoader loader = new ConfigLoader(Map.of("fhir", Set.of("base-url", "poll", "resources"),
            "hl7v2", Set.of("listen")));

    private List<LocatedError> errorsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> loader.parse("node.yaml", BASE, new StringReader(yaml)));
        assertThat(e).as("a configuration error").isNotNull();
        return e.errors();
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("not YAML at all", "node: [a, b\n", "node.yaml:2:1: TB-YAML-009", "not valid YAML"),
                Arguments.of("tab indentation", "node:\n\tid: a1\n", "node.yaml:2:1: TB-YAML-009", "not valid YAML"),
                Arguments.of("empty file", "", "node.yaml:1:1: TB-YAML-002", "empty"),
                Arguments.of("a list, not a mapping", "- a\n- b\n", "node.yaml:1:1: TB-YAML-003", "mapping"),
                Arguments.of("missing node section", "storage: { url: \"jdbc:sqlite:./x.db\" }\n",
                        "node.yaml:1:1: TB-YAML-002", "missing section 'node'"),
                Arguments.of("misspelt top-level key", "node: { id: a1 }\nplugin: { dir: ./p }\n",
                        "node.yaml:2:1: TB-YAML-001", "unknown key 'plugin'"),
                Arguments.of("duplicate key", "node: { id: a1 }\nnode: { id: a2 }\n", "node.yaml:2:1: TB-YAML-006",
                        "duplicate key"),
                Arguments.of("federation listen not host:port", "node: { id: a1 }\nfederation: { listen: nope }\n",
                        "node.yaml:2:23: TB-FED-001", "host:port"),
                Arguments.of("federation peer over plain http", "node: { id: a1 }\nfederation: { peers: [ { site: b2, "
                        + "url: \"http://b2:1\" } ] }\n", "node.yaml:2:41: TB-FED-001", "mutual TLS only"),
                Arguments.of("bad node id", "node: { id: St_Marys }\n", "node.yaml:1:13: TB-CONFIG-004",
                        "lower-case"),
                Arguments.of("node id a list", "node: { id: [a, b] }\n", "node.yaml:1:13: TB-YAML-003",
                        "single value"),
                Arguments.of("unsupported storage url", "node: { id: a1 }\nstorage: { url: \"jdbc:mysql://x\" }\n",
                        "node.yaml:2:17: TB-CONFIG-004", "jdbc:sqlite: or jdbc:postgresql:"),
                Arguments.of("H2, the old default", "node: { id: a1 }\nstorage: { url: \"jdbc:h2:file:./db\" }\n",
                        "node.yaml:2:17: TB-CONFIG-004", "H2 is no longer supported"),
                Arguments.of("SQLite options", "node: { id: a1 }\nstorage: { url: \"jdbc:sqlite:./x.db?synchronous=OFF\" }\n",
                        "node.yaml:2:17: TB-CONFIG-004", "without options"),
                Arguments.of("inline password", "node: { id: a1 }\nkeys: { password: secret }\n",
                        "node.yaml:2:9: TB-YAML-001", "unknown key 'keys.password'"),
                Arguments.of("two password sources", "node: { id: a1 }\n"
                        + "keys: { password-env: A, password-file: ./pw }\n", "node.yaml:2:41: TB-CONFIG-004",
                        "not both"),
                Arguments.of("connector without type", "node: { id: a1 }\nconnectors:\n  - { id: ehr }\n",
                        "node.yaml:3:5: TB-YAML-002", "missing key"),
                Arguments.of("unknown connector type", "node: { id: a1 }\nconnectors:\n  - { id: x, type: ftp }\n",
                        "node.yaml:3:20: TB-CONFIG-004", "unknown connector type 'ftp'; available: fhir, hl7v2"),
                Arguments.of("duplicate connector id", "node: { id: a1 }\nconnectors:\n"
                        + "  - { id: x, type: hl7v2, listen: \"a:1\" }\n  - { id: x, type: hl7v2, listen: \"a:2\" }\n",
                        "node.yaml:4:11: TB-CONFIG-006", "used twice"),
                Arguments.of("unknown connector key", "node: { id: a1 }\nconnectors:\n"
                        + "  - { id: x, type: hl7v2, listn: \"a:1\" }\n", "node.yaml:3:27: TB-YAML-001", "listn"),
                Arguments.of("require-signed without trust store", "node: { id: a1 }\n"
                        + "plugins: { require-signed: true }\n", "node.yaml:2:28: TB-CONFIG-011", "trust-store"),
                Arguments.of("require-signed not a boolean", "node: { id: a1 }\n"
                        + "plugins: { require-signed: maybe }\n", "node.yaml:2:28: TB-YAML-003", "true or false"),
                Arguments.of("retry attempts zero", "node: { id: a1 }\nplugins: { retry: { attempts: 0 } }\n",
                        "node.yaml:2:31: TB-CONFIG-004", "from 1 to " + RetryPolicy.MAX_ATTEMPTS),
                Arguments.of("retry backoff not a duration", "node: { id: a1 }\n"
                        + "plugins: { retry: { initial-backoff: soon } }\n", "node.yaml:2:38: TB-CONFIG-004",
                        "duration such as 500ms"),
                Arguments.of("retry initial longer than max", "node: { id: a1 }\n"
                        + "plugins: { retry: { initial-backoff: 2m, max-backoff: 1m } }\n",
                        "node.yaml:2:55: TB-CONFIG-004", "must not be longer than"),
                Arguments.of("retry max beyond an hour", "node: { id: a1 }\n"
                        + "plugins: { retry: { max-backoff: 2h } }\n", "node.yaml:2:34: TB-CONFIG-004", "at most 1h"),
                Arguments.of("retry unknown key", "node: { id: a1 }\nplugins: { retry: { tries: 3 } }\n",
                        "node.yaml:2:21: TB-YAML-001", "unknown key 'plugins.retry.tries'"),
                Arguments.of("unknown purpose", "node: { id: a1 }\npolicies: { purposes: { twin: HEAL } }\n",
                        "node.yaml:2:31: TB-CONFIG-004", "unknown purpose of use 'HEAL'"),
                Arguments.of("policy dir and allow-list", "node: { id: a1 }\n"
                        + "policies: { dir: ./p, allow: { twin: [Observation] } }\n", "node.yaml:2:30: TB-CONFIG-004",
                        "not both"),
                Arguments.of("consent default neither permit nor deny", "node: { id: a1 }\n"
                        + "consent: { defaults: { TREAT: maybe } }\n", "node.yaml:2:31: TB-CONFIG-004",
                        "permit or deny"),
                Arguments.of("consent actor not a reference", "node: { id: a1 }\n"
                        + "consent: { actors: { twin: [twin] } }\n", "node.yaml:2:28: TB-CONFIG-004",
                        "literal FHIR reference"),
                Arguments.of("checkpoint interval not a number", "node: { id: a1 }\n"
                        + "audit: { checkpoint-interval: often }\n", "node.yaml:2:31: TB-CONFIG-004",
                        "whole number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistake_isReportedWhereItIs_withItsCode(String what, String yaml, String expectedAt, String phrase) {
        List<LocatedError> errors = errorsOf(yaml);

        assertThat(errors).as(what).isNotEmpty();
        assertThat(errors.get(0).format()).as(what).startsWith(expectedAt).contains(phrase);
    }

    @Test
    void severalMistakes_areAllReportedAtOnce() {
        List<LocatedError> errors = errorsOf("""
                node: { id: Bad_Id }
                storage: { url: "jdbc:mysql://x" }
                plugins: { retry: { attempts: many } }
                audit: { checkpoint-interval: 0 }
                """);

        assertThat(errors).extracting(LocatedError::line).containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @Test
    void aliasBomb_isRefusedWithALocatedError_withoutExpanding() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 9; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            yaml.append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        yaml.append("node: { id: a1 }\n");

        List<LocatedError> errors = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> errorsOf(yaml.toString()));

        // A reading limit has no position in SnakeYAML: reported for the file as a whole (line 0).
        assertThat(errors.get(0).format()).startsWith("node.yaml:0:0: TB-YAML-009 not valid YAML")
                .contains("aliases");
    }

    @Test
    void deeplyNestedYaml_isRefusedWithALocatedError() {
        String yaml = "node: { id: a1 }\nplugins: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";

        List<LocatedError> errors = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> errorsOf(yaml));

        assertThat(errors.get(0).format()).startsWith("node.yaml:0:0: TB-YAML-009 not valid YAML")
                .contains("Nesting Depth");
    }
}
