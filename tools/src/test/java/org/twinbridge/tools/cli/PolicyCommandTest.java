package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandTest {

    private static final Path DEMO = Path.of("../policies/examples/demo");
    private static final String HEART_RATE = DEMO.resolve("tests/records/heart-rate.json").toString();

    @TempDir
    Path dir;

    @Test
    void validate_example_exits0() {
        CliRun run = CliRun.of("policy", "validate", DEMO.toString());

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("policy set 'demo' is valid").contains("sha256:");
    }

    @Test
    void validate_brokenPolicy_exits2_withEveryErrorLocated() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), """
                policy-set: { id: broken }
                rules:
                  - id: r1
                    effect: permit
                    recipients: [news2-twin]
                    purposes: [TREATING]
                    resource-types: [Observation]
                    condition: "code.coding.where("
                    project: { Observation: [code, colour] }
                """);

        CliRun run = CliRun.of("policy", "validate", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        String file = dir.resolve("policy.yaml").toString();
        assertThat(run.err()).contains(file + ":6:").contains("TB-POLICY-003")
                .contains(file + ":8:").contains("TB-POLICY-004")
                .contains(file + ":9:").contains("TB-POLICY-007 'colour' is not an element of Observation")
                .contains("3 error(s)");
    }

    @Test
    void test_examples_passAndPrintATable() {
        CliRun run = CliRun.of("policy", "test", DEMO.toString());

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("PASS   permit   the NEWS2 twin sees a heart rate").contains("0 failed");
    }

    @Test
    void test_aFailingCase_exits1_andSaysWhy() throws Exception {
        Path copy = dir.resolve("demo");
        copyTree(DEMO, copy);
        Path tests = copy.resolve("tests/demo.yaml");
        Files.writeString(tests, Files.readString(tests).replaceFirst("expect: permit", "expect: deny"));

        CliRun run = CliRun.of("policy", "test", copy.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("FAIL").contains("expected deny but got permit").contains("1 failed");
    }

    @Test
    void explain_json_printsDecisionRulesObligationsAndTheView() throws Exception {
        CliRun run = CliRun.of("policy", "explain", "--policies", DEMO.toString(), "--plugin", "news2-twin",
                "--purpose", "TREAT", "--record", HEART_RATE, "--format", "json");

        assertThat(run.exitCode()).isEqualTo(0);
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("decision").asText()).isEqualTo("permit");
        assertThat(doc.get("rules").get(0).asText()).isEqualTo("news2-vital-signs");
        assertThat(doc.get("obligations").toString()).contains("allow Observation").contains("pseudonymise");
        JsonNode view = doc.get("view");
        assertThat(view.get("valueQuantity").get("value").asInt()).isEqualTo(88);
        assertThat(view.toString()).doesNotContain("Jane Roe").doesNotContain("OBS-778812")
                .doesNotContain("p-1001").doesNotContain("anxious").doesNotContain("Ward 7");
    }

    @Test
    void explain_bundle_explainsEachEntry_andADenyHasANullView() throws Exception {
        Path bundle = dir.resolve("bundle.json");
        Files.writeString(bundle, "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":"
                + Files.readString(Path.of(HEART_RATE)) + "},{\"resource\":"
                + Files.readString(DEMO.resolve("tests/records/glucose-lab.json")) + "}]}");

        CliRun run = CliRun.of("policy", "explain", "--policies", DEMO.toString(), "--plugin", "news2-twin",
                "--purpose", "TREAT", "--record", bundle.toString(), "--format", "json");

        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(new ObjectMapper().readTree(lines.get(1)).get("view").isNull()).isTrue();
        assertThat(new ObjectMapper().readTree(lines.get(1)).get("decision").asText()).isEqualTo("deny");
    }

    @Test
    void explain_text_isReadable() {
        CliRun run = CliRun.of("policy", "explain", "--policies", DEMO.toString(), "--plugin", "other-twin",
                "--purpose", "TREAT", "--record", HEART_RATE);

        assertThat(run.out()).contains("Observation for other-twin (TREAT): DENY")
                .contains("(none: default deny)");
    }

    @Test
    void explain_badInput_exits2() {
        assertThat(CliRun.of("policy", "explain", "--policies", DEMO.toString(), "--plugin", "x", "--purpose",
                "TREATING", "--record", HEART_RATE).exitCode()).isEqualTo(2);
        assertThat(CliRun.of("policy", "explain", "--policies", DEMO.toString(), "--plugin", "x", "--purpose",
                "TREAT", "--record", "missing.json").exitCode()).isEqualTo(2);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
