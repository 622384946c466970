package org.twinbridge.connector.fhir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the tests that put WireMock in front of the connector as a FHIR or authorisation server: one server per
 * test class (starting it per test would dominate the run time), with no stubs and no request log left over from the
 * previous test. Subclass {@code @BeforeEach} methods run after the reset, so they can stub what all their tests need.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WireMockFhirTest {

    /** Stands for patient data that a server echoes into an error body or puts in a record. */
    static final String BODY_CANARY = "Philomena-Brackenridge-1957-03-14";

    protected WireMockServer wireMock;

    @BeforeAll
    final void startWireMock() {
        wireMock = WireMockFhir.start();
    }

    @AfterAll
    final void stopWireMock() {
        wireMock.stop();
    }

    @BeforeEach
    final void resetWireMock() {
        wireMock.resetAll();
    }

    /** A plain-text error answer whose body carries {@link #BODY_CANARY}. */
    static ResponseDefinitionBuilder error(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/plain")
                .withBody("failed while reading " + BODY_CANARY);
    }

    /** Answers GETs of {@code path} with these responses in turn, the last one from then on. */
    final void sequence(String path, ResponseDefinitionBuilder... responses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.length; i++) {
            String next = i == responses.length - 1 ? state : "step-" + (i + 1);
            wireMock.stubFor(get(urlPathEqualTo(path)).inScenario("sequence").whenScenarioStateIs(state)
                    .willReturn(responses[i]).willSetStateTo(next));
            state = next;
        }
    }

    /** A loopback port nothing listens on (just closed), for connection-refused faults. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
