package org.twinbridge.connector.hl7v2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.twinbridge.connector.hl7v2.internal.mapping.MappingOptions;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageMapper;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageType;
import org.twinbridge.connector.hl7v2.internal.wire.AckWriter;
import org.twinbridge.sdk.connector.ConnectorMonitor;

/** What the intake reports to the node's connector monitor for each outcome of a message. */
class Hl7IntakeMonitorTest {

    private static final Instant NOW = Instant.parse("2024-03-05T08:15:30Z");
    private final RecordingMonitor monitor = new RecordingMonitor();
    private final Hl7Intake intake = new Hl7Intake("lab", EnumSet.of(MessageType.ORU_R01), SenderAllowList.anyone(),
            StandardCharsets.UTF_8, new MessageMapper(new MappingOptions("lab",
                    Map.of("HOSP", "http://hospital.example.org/mrn"), Optional.empty(),
                    ZoneOffset.UTC)), new AckWriter(Clock.fixed(NOW, ZoneOffset.UTC)), monitor,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static byte[] oru(String type) {
        return String.join("\r", "MSH|^~\\&|LAB|FAC|TB|NODE|20240305081500+0000||" + type + "|C-1|P|2.5.1",
                "PID|1||MRN-1^^^HOSP^MR||Doe^Jane||19700101|F",
                "OBR|1||F-1|24331-1^Lipid panel^LN|||20240305070000+0000",
                "OBX|1|NM|2093-3^Cholesterol^LN||250|mg/dL^^UCUM|<200|H|||F", "").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void acceptedMessage_isReceivedAndSucceeded_withTheLagFromMsh7ToTheCommit() {
        intake.handle(oru("ORU^R01^ORU_R01"), records -> records.size());

        assertThat(monitor.events).containsExactly("received 1", "succeeded", "lag PT30S");
    }

    @Test
    void unsupportedType_isARejection_byItsCode() {
        intake.handle(oru("MFN^M02^MFN_M02"), records -> records.size());

        assertThat(monitor.events).containsExactly("received 1", "rejected TB-HL7-011");
    }

    @Test
    void failedCommit_isAFailure_notARejection() {
        intake.handle(oru("ORU^R01^ORU_R01"), records -> {
            throw new java.sql.SQLException("database is down");
        });

        assertThat(monitor.events).containsExactly("received 1", "failed TB-HL7-050");
    }

    @Test
    void notHl7_isReceivedAndRejected() {
        intake.handle("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.UTF_8), records -> records.size());

        assertThat(monitor.events).containsExactly("received 1", "rejected TB-HL7-001");
    }

    /** Remembers every call, in order. */
    private static final class RecordingMonitor implements ConnectorMonitor {
        final List<String> events = new ArrayList<>();

        @Override
        public void received(int messages) {
            events.add("received " + messages);
        }

        @Override
        public void succeeded() {
            events.add("succeeded");
        }

        @Override
        public void failed(String kind) {
            events.add("failed " + kind);
        }

        @Override
        public void rejected(String kind) {
            events.add("rejected " + kind);
        }

        @Override
        public void lag(Duration lag) {
            events.add("lag " + lag);
        }
    }
}
