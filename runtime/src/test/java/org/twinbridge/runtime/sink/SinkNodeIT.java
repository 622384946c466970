package org.twinbridge.runtime.sink;

import org.twinbridge.runtime.node.NodeTestAccess;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.embedded.fhir.EmbeddedFhirServer;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.testing.HeartRates;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.testplugins.AlertingTwin;

/**
 * A whole node with a webhook sink for the care team: the receiver is down (HTTP 503) while the twin raises
 * alerts, the node is stopped mid-outage and started again, the receiver recovers, and every alert arrives,
 * re-identified, with its idempotency key; nothing is lost across the restart.
 */
class SinkNodeIT {

    @TempDir
    Path dir;

    @Test
    void alertsRaisedDuringAnOutage_surviveARestart_andReachTheCareTeamReidentified() throws Exception {
        WireMockServer receiver = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/care-team")).willReturn(aResponse().withStatus(503)));
        try (EmbeddedFhirServer ehr = EmbeddedFhirServer.start(0)) {
            Patient patient = new Patient();
            patient.setId("p1");
            patient.addIdentifier().setSystem("http://hospital.example/mrn").setValue("MRN-777");
            ehr.store().save(patient);
            ehr.store().save(HeartRates.of("o1", 131));
            ehr.store().save(HeartRates.of("o2", 135));
            NodeConfig config = writeConfig(ehr.baseUrl(), "http://127.0.0.1:" + receiver.port() + "/care-team");
            NodeKeys keys = NodeKeys.init(config.keys().keystore(), "sink-it-password".toCharArray(),
                    config.node().id(), Clock.systemUTC());

            try (Node node = Node.start(config, keys, ConnectorRegistry.discover(), Clock.systemUTC())) {
                await(() -> count(node, "SELECT COUNT(*) FROM twin_output") == 2, "two alerts raised");
                await(() -> count(node, "SELECT attempts FROM sink_cursor WHERE sink_id = 'care-team'") >= 2,
                        "the sink retried the outage at least twice");
            }
            assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/care-team")))).isNotEmpty();

            receiver.resetAll();
            receiver.stubFor(post(urlEqualTo("/care-team")).willReturn(aResponse().withStatus(200)));
            ehr.store().save(HeartRates.of("o3", 140));
            try (Node node = Node.start(config, NodeKeys.load(config.keys().keystore(),
                    "sink-it-password".toCharArray()), ConnectorRegistry.discover(), Clock.systemUTC())) {
                await(() -> count(node, "SELECT delivered FROM sink_cursor WHERE sink_id = 'care-team'") == 3,
                        "all three alerts delivered after the restart");
                assertThat(count(node, "SELECT COUNT(*) FROM audit_event WHERE kind = 'sink.deliver'")).isEqualTo(3);
            }
            List<LoggedRequest> delivered = receiver.findAll(postRequestedFor(urlEqualTo("/care-team")));
            assertThat(delivered).extracting(r -> r.getHeader("Idempotency-Key")).doesNotHaveDuplicates()
                    .hasSize(3);
            assertThat(delivered).allSatisfy(r -> assertThat(r.getBodyAsString())
                    .contains("\"reference\":\"Patient/p1\"").contains("MRN-777"));
        } finally {
            receiver.stop();
        }
    }

    private NodeConfig writeConfig(String ehrBaseUrl, String hook) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.write(plugins.resolve("alerting-twin.jar"), AlertingTwin.ID, AlertingTwin.class);
        Files.writeString(dir.resolve("pw"), "sink-it-password");
        Path file = dir.resolve("twinbridge.yaml");
        Files.writeString(file, """
                node: { id: sink-it, data-dir: ./data }
                keys: { password-file: ./pw }
                connectors:
                  - { id: ehr, type: fhir, base-url: "%s", poll: 300ms, resources: [Patient, Observation] }
                plugins: { dir: ./plugins }
                policies: { allow: { alerting-twin: [Observation] }, purposes: { alerting-twin: TREAT } }
                sinks:
                  - { id: care-team, type: webhook, url: "%s", purpose: TREAT, retry-backoff: 100ms,
                      retry-max-backoff: 400ms }
                """.formatted(ehrBaseUrl, hook));
        return new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(file);
    }

    private static long count(Node node, String sql) {
        try {
            return NodeTestAccess.database(node).inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1L;
                }
            });
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        org.twinbridge.testkit.Await.until(what, condition::getAsBoolean);
    }
}
