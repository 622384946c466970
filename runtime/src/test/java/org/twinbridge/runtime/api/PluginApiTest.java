package org.twinbridge.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.testing.EraseTestTwin;
import org.twinbridge.runtime.testing.PluginJars;

/** Plugins over HTTP: the manifest, the gap between request and grant as policy changes, and enable/disable. */
class PluginApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRANTING = """
            policy-set:
              id: gap-test
              description: grants the erase twin observations
            rules:
              - id: erase-twin-observations
                description: observations for treatment
                effect: permit
                recipients: [erase-twin]
                purposes: [TREAT]
                resource-types: [Observation]
                project:
                  Observation: [status, code]
            """;

    @TempDir
    Path dir;
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        PluginJars.write(Files.createDirectories(dir.resolve("plugins")).resolve("erase-twin.jar"), EraseTestTwin.ID,
                EraseTestTwin.class);
        api = ApiFixture.start(dir, 10_000);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private JsonNode plugin(String token) throws Exception {
        JsonNode plugins = JSON.readTree(api.get("/api/v1/plugins", token).body()).path("plugins");
        assertThat(plugins).hasSize(1);
        return plugins.get(0);
    }

    @Test
    void gap_showsWhatPolicyDoesNotGrant_andFollowsActivation() throws Exception {
        String officer = api.tokens.token("po", "privacy-officer");
        JsonNode before = plugin(officer);
        assertThat(before.path("id").asText()).isEqualTo(EraseTestTwin.ID);
        assertThat(before.path("manifest").path("resourceTypes").toString()).contains("Observation", "Patient");
        assertThat(before.path("gap").path("notGranted").toString()).contains("Observation", "Patient");

        var uploaded = api.post("/api/v1/policies", officer, "application/yaml", GRANTING);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(api.post("/api/v1/policies/1/activate", officer, "application/json", "").statusCode())
                .isEqualTo(200);

        JsonNode after = plugin(officer).path("gap");
        assertThat(after.path("granted").toString()).contains("Observation");
        assertThat(after.path("notGranted").toString()).contains("Patient").doesNotContain("Observation");
    }

    @Test
    void integrationAdmin_disablesAndEnablesDelivery() throws Exception {
        String admin = api.tokens.token("ia-sub", "integration-admin");
        assertThat(plugin(admin).path("enabled").asBoolean()).isTrue();

        var disabled = api.post("/api/v1/plugins/" + EraseTestTwin.ID + "/disable", admin, "application/json", "");
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(plugin(admin).path("enabled").asBoolean()).isFalse();
        api.post("/api/v1/plugins/" + EraseTestTwin.ID + "/enable", admin, "application/json", "");
        assertThat(plugin(admin).path("enabled").asBoolean()).isTrue();

        JsonNode audit = JSON.readTree(api.get("/api/v1/audit?kind=plugin.disable",
                api.tokens.token("aud", "auditor")).body()).path("entries");
        assertThat(audit.get(0).path("actor").asText()).isEqualTo("user:ia-sub");
        assertThat(audit.get(0).path("details").path("plugin").asText()).isEqualTo(EraseTestTwin.ID);
    }

    @Test
    void connectors_listsNoneOnANodeWithoutConnectors_andUnknownIdIs404() throws Exception {
        String admin = api.tokens.token("ia-sub", "integration-admin");
        assertThat(JSON.readTree(api.get("/api/v1/connectors", admin).body()).path("connectors")).isEmpty();
        assertThat(api.post("/api/v1/connectors/ehr/pause", admin, "application/json", "").statusCode())
                .isEqualTo(404);
    }
}
