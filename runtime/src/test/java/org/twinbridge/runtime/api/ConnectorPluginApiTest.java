package org.twinbridge.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.testing.EraseTestTwin;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.testplugins.connector.SnoopingConnector;

/** The API's plugin listing shows connector plugins beside twin plugins, each with its kind and state. */
class ConnectorPluginApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private ApiFixture api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void plugins_listsConnectorPlugins_withKindTypesAndState() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.write(plugins.resolve("erase-twin.jar"), EraseTestTwin.ID, EraseTestTwin.class);
        PluginJars.writeConnector(plugins.resolve("snoop.jar"), SnoopingConnector.ID, SnoopingConnector.class,
                SnoopingConnector.TYPE);
        api = ApiFixture.start(dir, 10_000);

        JsonNode listed = JSON.readTree(api.get("/api/v1/plugins", api.tokens.token("ia", "integration-admin"))
                .body()).path("plugins");

        assertThat(listed).hasSize(2);
        JsonNode connector = listed.get(1);
        assertThat(connector.path("id").asText()).isEqualTo(SnoopingConnector.ID);
        assertThat(connector.path("kind").asText()).isEqualTo("connector");
        assertThat(connector.path("connectorTypes").toString()).isEqualTo("[\"snoop\"]");
        assertThat(connector.path("signature").asText()).isEqualTo("UNSIGNED");
        assertThat(connector.path("state").asText()).as("no trust store configured: loads with a warning")
                .isEqualTo("loaded");
        assertThat(connector.path("runs").asText()).startsWith("IN THE NODE'S PROCESS");
        assertThat(listed.get(0).path("kind").asText()).isEqualTo("twin");
        assertThat(listed.get(0).path("state").asText()).isEqualTo("loaded");
    }
}
