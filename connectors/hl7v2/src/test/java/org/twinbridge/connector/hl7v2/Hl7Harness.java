package org.twinbridge.connector.hl7v2;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.twinbridge.sdk.connector.Checkpoints;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * One HL7 v2 connector running as the node runs it: its routes in a real Camel context, listening on a free
 * port on 127.0.0.1, with a {@link RecordingJournal} behind the journal endpoint.
 */
final class Hl7Harness implements AutoCloseable {

    static final String CONNECTOR_ID = "lab";
    private static final String JOURNAL_URI = "direct:journal";
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final RecordingJournal journal = new RecordingJournal();
    private final int port;

    private Hl7Harness(int port) {
        this.port = port;
    }

    /** Starts a connector with these settings; {@code listen} is filled in with a free port. */
    static Hl7Harness start(Map<String, ?> settings) throws Exception {
        Hl7Harness harness = new Hl7Harness(freePort());
        Map<String, Object> all = new HashMap<>(settings);
        all.put("listen", "127.0.0.1:" + harness.port);
        harness.camel.getShutdownStrategy().setTimeout(10);
        harness.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(JOURNAL_URI).routeId("journal").errorHandler(noErrorHandler()).process(harness.journal);
            }
        });
        harness.camel.addRoutes(new Hl7v2SourceConnector().routes(new Context(new ConnectorSettings(all))));
        harness.camel.start();
        return harness;
    }

    static Hl7Harness start() throws Exception {
        return start(Map.of());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    org.apache.camel.CamelContext camel() {
        return camel;
    }

    RecordingJournal journal() {
        return journal;
    }

    MllpClient client() throws IOException {
        return MllpClient.connect(port);
    }

    @Override
    public void close() {
        camel.stop();
    }

    private record Context(ConnectorSettings settings) implements ConnectorContext {
        @Override
        public String connectorId() {
            return CONNECTOR_ID;
        }

        @Override
        public String journalUri() {
            return JOURNAL_URI;
        }

        @Override
        public String nodeId() {
            return "test-node";
        }

        /** The HL7 v2 connector answers AE/AR instead of writing dead letters; this route does not exist. */
        @Override
        public String deadLetterUri() {
            return "direct:no-dead-letters-in-hl7-tests";
        }

        @Override
        public Checkpoints checkpoints() {
            throw new UnsupportedOperationException("the HL7 v2 connector keeps no checkpoints");
        }
    }
}
