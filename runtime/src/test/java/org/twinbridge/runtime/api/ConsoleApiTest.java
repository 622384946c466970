package org.twinbridge.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the console needs from a running node: its static shell without a token (and only that), the caller's
 * operations from {@code /api/v1/me}, and the policy tests run against a stored version.
 */
class ConsoleApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start(dir, 10_000);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void consoleShell_isServedWithoutAToken_underAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = api.get("/console/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "frame-ancestors 'none'", "connect-src 'self' http://127.0.0.1:")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"></script>");

        JsonNode config = JSON.readTree(api.get("/console/config.json", null).body());
        assertThat(config.path("clientId").asText()).isEqualTo("twinbridge-console");
        assertThat(config.path("authorizationEndpoint").asText()).isEqualTo(api.issuer
                + "/protocol/openid-connect/auth");

        assertThat(api.get("/console", null).statusCode()).isEqualTo(308);
        assertThat(api.get("/console/pages/policies.js", null).statusCode()).isEqualTo(200);
        assertThat(api.get("/console/nothing.js", null).statusCode()).isEqualTo(404);
        assertThat(api.get("/consolex", null).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/me", null).statusCode()).as("the API still needs a token").isEqualTo(401);
    }

    @Test
    void me_namesTheCallersRoles_andOnlyTheOperationsTheRoleTableAllowsThem() throws Exception {
        JsonNode officer = JSON.readTree(api.get("/api/v1/me", api.tokens.token("u-officer", "privacy-officer"))
                .body());
        JsonNode auditor = JSON.readTree(api.get("/api/v1/me", api.tokens.token("u-auditor", "auditor")).body());

        assertThat(officer.path("subject").asText()).isEqualTo("u-officer");
        assertThat(officer.path("roles").toString()).isEqualTo("[\"privacy-officer\"]");
        assertThat(operations(officer)).contains("POST /api/v1/policies", "POST /api/v1/policies/{version}/activate")
                .doesNotContain("GET /api/v1/twins");
        assertThat(operations(auditor)).contains("GET /api/v1/policies", "GET /api/v1/audit/verify")
                .doesNotContain("POST /api/v1/policies", "POST /api/v1/policies/{version}/activate");
    }

    @Test
    void policyTests_runAgainstAStoredVersion_andABrokenTestFileIsLocated() throws Exception {
        copyTree(Path.of("../policies/examples/demo/tests"), dir.resolve("policies/tests"));
        String officer = api.tokens.token("u-officer", "privacy-officer");
        String demo = Files.readString(Path.of("../policies/examples/demo/policy.yaml"));
        HttpResponse<String> uploaded = api.post("/api/v1/policies", officer, "application/yaml", demo);
        int version = JSON.readTree(uploaded.body()).path("version").asInt();

        HttpResponse<String> run = api.post("/api/v1/policies/" + version + "/test", officer, "application/json", "");
        JsonNode result = JSON.readTree(run.body());
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        assertThat(result.path("passed").asInt()).isPositive();
        assertThat(result.path("results").get(0).path("location").asText()).startsWith("tests/");

        Files.writeString(dir.resolve("policies/tests/broken.yaml"), "tests:\n  - name: x\n    expect: maybe\n");
        HttpResponse<String> broken = api.post("/api/v1/policies/" + version + "/test", officer, "application/json",
                "");
        assertThat(broken.statusCode()).as(broken.body()).isEqualTo(422);
        assertThat(broken.body()).contains("TB-API-069", "broken.yaml");
        Files.delete(dir.resolve("policies/tests/broken.yaml"));
    }

    @Test
    void deadLetters_areListedForAdmins_andRefusalsSayWhy() throws Exception {
        String admin = api.tokens.token("u-admin", "integration-admin");

        HttpResponse<String> list = api.get("/api/v1/deadletters", admin);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(JSON.readTree(list.body()).path("parked").isArray()).isTrue();
        assertThat(JSON.readTree(list.body()).path("connectors").isArray()).isTrue();

        HttpResponse<String> replayConnector = api.post("/api/v1/deadletters/C-1/replay", admin, "application/json",
                "");
        assertThat(replayConnector.statusCode()).isEqualTo(409);
        assertThat(replayConnector.body()).contains("TB-API-097", "TB-DEADLETTER-003");
        HttpResponse<String> dropUnknown = api.post("/api/v1/deadletters/P-999/drop", admin, "application/json", "");
        assertThat(dropUnknown.statusCode()).isEqualTo(409);
        assertThat(dropUnknown.body()).contains("TB-DEADLETTER-001");
        assertThat(api.post("/api/v1/deadletters/x-1/drop", admin, "application/json", "").body())
                .contains("TB-API-096");
    }

    @Test
    void nodeHistory_isServedToAuditors_withTheSamplesTheNodeTook() throws Exception {
        String auditor = api.tokens.token("u-auditor", "auditor");
        api.node.observability().history().sample();

        HttpResponse<String> history = api.get("/api/v1/node/history", auditor);
        assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(history.body());
        assertThat(body.path("intervalSeconds").asLong()).isEqualTo(60);
        assertThat(body.path("samples").size()).isBetween(1, 60);
        assertThat(api.get("/api/v1/node/history", api.tokens.token("u-clin", "clinician")).statusCode())
                .isEqualTo(403);
    }

    @Test
    void auditByConsent_acceptsAConsentId_andRefusesAnythingElse() throws Exception {
        String officer = api.tokens.token("u-po", "privacy-officer");

        HttpResponse<String> none = api.get("/api/v1/audit?kind=decision&consent=Consent%2Fc1", officer);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(200);
        assertThat(JSON.readTree(none.body()).path("entries").size()).isZero();
        HttpResponse<String> wildcard = api.get("/api/v1/audit?consent=Consent%2F%25", officer);
        assertThat(wildcard.statusCode()).isEqualTo(400);
        assertThat(wildcard.body()).contains("TB-API-082");
    }

    private static java.util.List<String> operations(JsonNode me) {
        java.util.List<String> out = new java.util.ArrayList<>();
        me.path("operations").forEach(op -> out.add(op.path("method").asText() + " " + op.path("path").asText()));
        return out;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
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
