package org.twinbridge.runtime.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.testing.LogCapture;
import org.twinbridge.runtime.testing.TestNode;

/** The webhook sink against WireMock: who sees the patient, and how a failing receiver loses nothing. */
class WebhookSinkTest {

    @TempDir
    Path dir;
    private SinkFixture fixture;
    private WireMockServer receiver;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SinkFixture(dir);
        receiver = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        receiver.stop();
        fixture.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.port() + path;
    }

    private void accept(String path, int status) {
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(status)));
    }

    /** A TREAT webhook sink at /care-team, which answers 200, for a plugin acting for this purpose. */
    private SinkWorker careTeamSink(String pluginPurpose) throws Exception {
        accept("/care-team", 200);
        return fixture.worker(SinkFixture.sink("care-team", "webhook", "TREAT", url("/care-team")), pluginPurpose);
    }

    /** An HRESCH webhook sink at /research, which answers 200, for a plugin acting for this purpose. */
    private SinkWorker researchSink(String pluginPurpose) throws Exception {
        accept("/research", 200);
        return fixture.worker(SinkFixture.sink("research", "webhook", "HRESCH", url("/research")), pluginPurpose);
    }

    private List<LoggedRequest> received(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)));
    }

    @Test
    void aTreatSink_getsThePatient_andAResearchSink_onlyThePluginsPseudonym() throws Exception {
        SinkWorker care = careTeamSink("TREAT");
        SinkWorker research = researchSink("TREAT");
        fixture.alerts(2, "TREAT");

        assertThat(care.deliverDue()).isEqualTo(2);
        assertThat(research.deliverDue()).isEqualTo(2);

        assertThat(received("/care-team")).hasSize(2).allSatisfy(r -> {
            assertThat(r.getBodyAsString()).contains("\"reference\":\"Patient/p1\"").contains(SinkFixture.MRN);
            assertThat(r.getHeader("Idempotency-Key")).startsWith(TestNode.NODE_ID + "-output-");
        });
        assertThat(received("/research")).hasSize(2).allSatisfy(r -> assertThat(r.getBodyAsString())
                .doesNotContain("Patient/p1").doesNotContain(SinkFixture.MRN).contains("\"reference\":\"Patient/"));
        assertThat(received("/care-team")).extracting(r -> r.getHeader("Idempotency-Key"))
                .containsExactlyElementsOf(received("/research").stream().map(r -> r.getHeader("Idempotency-Key"))
                        .toList());
        assertThat(auditDetails("sink.deliver")).anyMatch(d -> d.contains("\"reidentified\":\"true\""))
                .anyMatch(d -> d.contains("\"reidentified\":\"false\"")).noneMatch(d -> d.contains("p1"));
    }

    @Test
    void aPluginActingForResearch_isNeverReidentified_evenOnATreatSink() throws Exception {
        SinkWorker care = careTeamSink("HRESCH");
        fixture.alerts(1, "HRESCH");

        care.deliverDue();

        assertThat(received("/care-team")).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .doesNotContain("Patient/p1").doesNotContain(SinkFixture.MRN));
    }

    @Test
    void aReceiverFailingWith503_isRetriedWithBackoff_andEveryOutputArrivesInOrder() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hook")).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("still down"));
        receiver.stubFor(post(urlEqualTo("/hook")).inScenario("outage").whenScenarioStateIs("still down")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        receiver.stubFor(post(urlEqualTo("/hook")).inScenario("outage").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(204)));
        SinkWorker sink = fixture.worker(SinkFixture.sink("hook", "webhook", "TREAT", url("/hook")), "TREAT");
        fixture.alerts(3, "TREAT");

        try (LogCapture logs = LogCapture.start()) {
            assertThat(sink.deliverDue()).isZero();
            assertThat(sink.deliverDue()).as("waits for the 1 s backoff").isZero();
            assertThat(received("/hook")).hasSize(1);
            fixture.clock.advance(Duration.ofSeconds(1));
            assertThat(sink.deliverDue()).isZero();
            assertThat(position().attempts()).isEqualTo(2);
            assertThat(position().lastError()).contains("HTTP 503");
            fixture.clock.advance(Duration.ofSeconds(1));
            assertThat(sink.deliverDue()).as("the 2nd retry is due only after 2 s").isZero();
            fixture.clock.advance(Duration.ofSeconds(1));
            assertThat(sink.deliverDue()).isEqualTo(3);
            assertThat(logs.text()).contains("TB-SINK-001").doesNotContain("p1").doesNotContain(SinkFixture.MRN);
        }
        List<String> keys = received("/hook").stream().map(r -> r.getHeader("Idempotency-Key")).toList();
        assertThat(keys).hasSize(5);
        assertThat(keys.subList(2, 5)).doesNotHaveDuplicates().isSortedAccordingTo(
                java.util.Comparator.comparingLong(k -> Long.parseLong(k.substring(k.lastIndexOf('-') + 1))));
        assertThat(keys.subList(0, 3)).containsOnly(keys.get(2));
        assertThat(position().delivered()).isEqualTo(3);
        assertThat(position().attempts()).isZero();
    }

    @Test
    void aRestartDuringAnOutage_keepsThePlaceAndTheWait_andDeliversEverythingAfterwards() throws Exception {
        accept("/hook", 500);
        SinkWorker before = fixture.worker(SinkFixture.sink("hook", "webhook", "TREAT", url("/hook")), "TREAT");
        fixture.alerts(3, "TREAT");
        before.deliverDue();
        before.close();

        fixture.restart();
        assertThat(position().attempts()).isEqualTo(1);
        assertThat(position().delivered()).isZero();
        receiver.resetAll();
        accept("/hook", 200);
        SinkWorker after = fixture.worker(SinkFixture.sink("hook", "webhook", "TREAT", url("/hook")), "TREAT");
        assertThat(after.deliverDue()).as("still waiting out the backoff after the restart").isZero();
        assertThat(received("/hook")).isEmpty();
        fixture.clock.advance(Duration.ofSeconds(1));

        assertThat(after.deliverDue()).isEqualTo(3);
        assertThat(received("/hook")).hasSize(3).allSatisfy(r ->
                assertThat(r.getBodyAsString()).contains("Patient/p1"));
        assertThat(position().delivered()).isEqualTo(3);
    }

    @Test
    void aReceiverRefusingAnOutput_recordsItAndMovesOn() throws Exception {
        accept("/hook", 422);
        SinkWorker sink = fixture.worker(SinkFixture.sink("hook", "webhook", "HRESCH", url("/hook")), "TREAT");
        fixture.alerts(2, "TREAT");

        assertThat(sink.deliverDue()).isEqualTo(2);

        assertThat(count("SELECT COUNT(*) FROM sink_rejection WHERE sink_id = 'hook' AND reason = 'HTTP 422'"))
                .isEqualTo(2);
        assertThat(position().rejected()).isEqualTo(2);
        assertThat(auditDetails("sink.reject")).hasSize(2);
    }

    @Test
    void anErasedPatient_isNotSentToATreatSink_butResearchKeepsThePseudonymousOutput() throws Exception {
        SinkWorker care = careTeamSink("TREAT");
        SinkWorker research = researchSink("TREAT");
        fixture.alerts(1, "TREAT");
        String key = patientKey();
        fixture.node.db().inTransaction(c -> fixture.node.journal().eraseRecordsOf(c, key));

        care.deliverDue();
        research.deliverDue();

        assertThat(received("/care-team")).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM sink_rejection WHERE sink_id = 'care-team'")).isEqualTo(1);
        assertThat(received("/research")).hasSize(1);
    }

    @Test
    void backoff_doublesPerFailure_upToTheMaximum() throws Exception {
        SinkWorker sink = fixture.worker(SinkFixture.sink("hook", "webhook", "TREAT", url("/hook")), "TREAT");
        assertThat(List.of(1, 2, 3, 4, 5, 30)).extracting(sink::backoff).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8),
                Duration.ofSeconds(8));
    }

    private SinkCursor.Position position() throws Exception {
        return fixture.node.db().inTransaction(c -> SinkCursor.read(c, "hook").orElseThrow());
    }

    private String patientKey() throws Exception {
        return fixture.node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT patient_key FROM journal WHERE resource_type = "
                    + "'Patient'"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    private long count(String sql) throws Exception {
        return fixture.node.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private List<String> auditDetails(String kind) throws Exception {
        return fixture.node.db().inTransaction(c -> {
            List<String> details = new java.util.ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT details FROM audit_event WHERE kind = ?")) {
                ps.setString(1, kind);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        details.add(rs.getString(1));
                    }
                }
            }
            return details;
        });
    }
}
