package org.twinbridge.connector.fhir;

import com.github.tomakehurst.wiremock.WireMockServer;
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

    /** A loopback port nothing listens on (just closed), for connection-refused faults. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
