package org.twinbridge.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The privacy officer's policy workflow over HTTP: upload (and its located errors), explain, activate, roll back. */
class PolicyApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEMO = Path.of("../policies/examples/demo");

    @TempDir
    Path dir;
    private ApiFixture api;
    private String officer;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(dir, 10_000);
        officer = api.tokens.token("3f1c-officer-id", "privacy-officer");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private JsonNode upload(String policyYaml, int status) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("files").put("policy.yaml", policyYaml).put("labels.yaml",
                Files.readString(DEMO.resolve("labels.yaml")));
        HttpResponse<String> response = api.post("/api/v1/policies", officer, "application/json", body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private JsonNode explain(int version) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("plugin", "news2-twin").put("purpose", "TREAT")
                .put("consentGiven", true);
        body.set("record", JSON.readTree(Files.readString(DEMO.resolve("tests/records/heart-rate.json"))));
        HttpResponse<String> response = api.post("/api/v1/policies/" + version + "/explain", officer,
                "application/json", body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void invalidPolicy_is422_withFileLineAndColumn_andIsNotStored() throws Exception {
        String broken = "policy-set:\n  id: demo\nrules:\n  - id: r1\n    effect: maybe\n";
        HttpResponse<String> response = api.post("/api/v1/policies", officer, "application/yaml", broken);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode error = JSON.readTree(response.body()).path("errors").get(0);
        assertThat(error.path("file").asText()).isEqualTo("policy.yaml");
        assertThat(error.path("line").asInt()).isBetween(4, 5);
        assertThat(error.path("column").asInt()).isPositive();
        assertThat(error.path("code").asText()).startsWith("TB-POLICY-");
        assertThat(JSON.readTree(api.get("/api/v1/policies", officer).body()).path("versions")).isEmpty();
    }

    @Test
    void officer_uploadsExplainsActivatesAndRollsBack_andTheAuditNamesTheirSubject() throws Exception {
        String demo = Files.readString(DEMO.resolve("policy.yaml"));
        String without = demo.replace("recipients: [news2-twin]", "recipients: [nobody-twin]");
        assertThat(without).isNotEqualTo(demo);

        assertThat(upload(demo, 201).path("version").asInt()).isEqualTo(1);
        assertThat(upload(demo, 200).path("version").asInt()).as("identical content is not stored twice")
                .isEqualTo(1);
        assertThat(upload(without, 201).path("version").asInt()).isEqualTo(2);

        assertThat(explain(1).path("decision").asText()).isEqualTo("permit");
        assertThat(explain(1).path("view").path("resourceType").asText()).isEqualTo("Observation");
        assertThat(explain(2).path("decision").asText()).isEqualTo("deny");
        JsonNode diff = JSON.readTree(api.get("/api/v1/policies/1/diff/2", officer).body());
        assertThat(diff.path("files").path("policy.yaml").toString()).contains("-    recipients: [news2-twin]")
                .contains("+    recipients: [nobody-twin]");

        HttpResponse<String> activated = api.post("/api/v1/policies/2/activate", officer, "application/json", "");
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        String version2 = JSON.readTree(api.get("/api/v1/policies/2", officer).body()).path("policyVersion").asText();
        assertThat(api.node.policy().policyVersion()).isEqualTo(version2);
        assertThat(Files.readString(dir.resolve("policies/policy.yaml"))).contains("nobody-twin");

        api.post("/api/v1/policies/1/activate", officer, "application/json", "");
        JsonNode rolledBack = JSON.readTree(api.post("/api/v1/policies/rollback", officer, "application/json", "")
                .body());
        assertThat(rolledBack.path("version").asInt()).isEqualTo(2);

        JsonNode audit = JSON.readTree(api.get("/api/v1/audit?kind=policy.activate",
                api.tokens.token("u-auditor", "auditor")).body()).path("entries");
        assertThat(audit).hasSize(2);
        assertThat(audit.get(0).path("actor").asText()).isEqualTo("user:3f1c-officer-id");
        JsonNode calls = JSON.readTree(api.get("/api/v1/audit?kind=api.call", officer).body()).path("entries");
        assertThat(calls).anySatisfy(c -> {
            assertThat(c.path("actor").asText()).isEqualTo("user:3f1c-officer-id");
            assertThat(c.path("details").path("route").asText()).isEqualTo("/api/v1/policies/rollback");
            assertThat(c.path("details").path("status").asText()).isEqualTo("200");
        });
        assertThat(JSON.readTree(api.get("/api/v1/audit?kind=policy.rollback", officer).body()).path("entries"))
                .hasSize(1);
    }

    @Test
    void forbiddenMutation_isAuditedToo() throws Exception {
        String clinician = api.tokens.token("u-clinician-7", "clinician");
        assertThat(api.post("/api/v1/policies/1/activate", clinician, "application/json", "").statusCode())
                .isEqualTo(403);

        JsonNode calls = JSON.readTree(api.get("/api/v1/audit?kind=api.call", officer).body()).path("entries");
        assertThat(calls).anySatisfy(c -> {
            assertThat(c.path("actor").asText()).isEqualTo("user:u-clinician-7");
            assertThat(c.path("details").path("status").asText()).isEqualTo("403");
        });
    }
}
