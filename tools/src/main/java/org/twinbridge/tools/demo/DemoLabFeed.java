package org.twinbridge.tools.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's lab system: replays the HL7 v2 messages shipped under {@code demo/hl7v2/} (see
 * {@code demo/NOTICE.md}) into the node's hl7v2 connector over MLLP, one connection, one message per frame,
 * each waiting for its acknowledgement, as a lab's interface engine does.
 */
final class DemoLabFeed {

    static final String FOLDER = "demo/hl7v2";

    private DemoLabFeed() {
    }

    /** What the feed sent and what came back. */
    record Outcome(int sent, Map<String, Integer> acks) {
        boolean allAccepted() {
            return acks.getOrDefault("AA", 0) == sent;
        }

        @Override
        public String toString() {
            return sent + " HL7 v2 message(s) over MLLP, acknowledged " + acks;
        }
    }

    /** Sends every shipped message to the node's MLLP listener and returns the acknowledgement codes. */
    static Outcome replay(int port) throws IOException {
        Map<String, Integer> acks = new LinkedHashMap<>();
        List<String> messages = messages();
        try (MllpSender lab = MllpSender.connect("127.0.0.1", port, Duration.ofSeconds(30))) {
            for (String message : messages) {
                acks.merge(MllpSender.ackCode(lab.send(message)), 1, Integer::sum);
            }
        }
        return new Outcome(messages.size(), acks);
    }

    /**
     * The shipped messages, in index order. A file holds one message, or several one per line (segments end with
     * CR, as on the wire; a line feed separates messages), as the ward's ADT stream does.
     */
    static List<String> messages() throws IOException {
        List<String> messages = new ArrayList<>();
        for (String line : read(FOLDER + "/index.txt").split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                for (String message : read(FOLDER + "/" + name).split("\n")) {
                    if (!message.isBlank()) {
                        messages.add(message);
                    }
                }
            }
        }
        return messages;
    }

    private static String read(String path) throws IOException {
        try (InputStream in = DemoLabFeed.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("TB-DEMO-001 demo data " + path + " is missing from the runtime jar; rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
