package org.twinbridge.connector.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twinbridge.connector.hl7v2.TestMessages.resource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twinbridge.connector.hl7v2.internal.Hl7Intake;

/**
 * Hostile and broken frames over a real MLLP socket: each gets a clear negative acknowledgement with a stable
 * code and no content, nothing of it is journalled, and the listener then accepts a good message, on the same
 * connection where the frame allowed it. Complements {@link MllpAcknowledgementTest} (garbage, truncated and
 * unframed bytes, unusable encoding characters).
 */
class HostileMllpInputIT {

    /** Generous: camel-mllp reads a 50 MB frame slowly on a busy 2-core machine. Guards against hangs only. */
    private static final java.time.Duration PATIENCE = java.time.Duration.ofMinutes(5);
    private Hl7Harness lab;
    private LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        logs = LogCapture.start();
        lab = Hl7Harness.start();
    }

    @AfterEach
    void stop() {
        lab.close();
        logs.close();
    }

    private void assertAGoodMessageIsStillAccepted(MllpClient client) throws Exception {
        int before = lab.journal().records().size();
        assertThat(AckView.of(client.send(resource("msft_ORU-R01-RMGEAD.hl7"))).code()).isEqualTo("AA");
        assertThat(lab.journal().records()).hasSize(before + 3);
    }

    @Test
    void invalidUtf8_isAE_withTheCharsetNamed_andNothingIsStored() throws Exception {
        byte[] valid = TestMessages.canaryOru("UTF8-1", "2.5.1").replace("|P|2.5.1", "|P|2.5.1|||||UNICODE UTF-8")
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream broken = new ByteArrayOutputStream();
        int cut = new String(valid, StandardCharsets.ISO_8859_1).indexOf("NTE|1|L|") + 8;
        broken.write(valid, 0, cut);
        broken.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        broken.write(valid, cut, valid.length - cut);
        try (MllpClient client = lab.client().patient(PATIENCE)) {
            client.sendFrame(broken.toByteArray());
            AckView ack = AckView.of(new String(client.readFrame(), StandardCharsets.UTF_8));

            assertThat(ack.code()).isEqualTo("AE");
            assertThat(ack.acknowledgedId()).isEqualTo("UTF8-1");
            assertThat(ack.field("MSA", 3)).startsWith("TB-HL7-007").contains("not valid UTF-8");
            assertThat(ack.err()).contains("MSH^1^18").contains("102");
            assertThat(lab.journal().records()).isEmpty();
            assertAGoodMessageIsStillAccepted(client);
        }
        assertThat(logs.texts()).noneMatch(t -> TestMessages.CANARIES.stream().anyMatch(t::contains));
    }

    @Test
    void fiftyMegabyteMessage_isAR_tooLarge_withoutBeingDecoded() throws Exception {
        String header = "MSH|^~\\&|LABAPP|LABFAC|TWINBRIDGE|NODE|20240305081500+0100||ORU^R01|HUGE-1|P|2.5\r"
                + "PID|1||HUGE^^^HOSP^MR||" + TestMessages.CANARY_FAMILY + "^Ann\rOBX|1|TX|8251-1^Comment^LN||";
        byte[] huge = new byte[50 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        byte[] start = header.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(start, 0, huge, 0, start.length);
        huge[huge.length - 1] = '\r';
        try (MllpClient client = lab.client().patient(PATIENCE)) {
            client.sendFrame(huge);
            AckView ack = AckView.of(new String(client.readFrame(), StandardCharsets.UTF_8));

            assertThat(ack.code()).isEqualTo("AR");
            assertThat(ack.acknowledgedId()).isEqualTo("HUGE-1");
            assertThat(ack.field("MSA", 3)).startsWith("TB-HL7-005 the frame is " + huge.length + " bytes; at most "
                    + Hl7Intake.MAX_FRAME_BYTES);
            assertThat(lab.journal().records()).isEmpty();
            assertAGoodMessageIsStillAccepted(client);
        }
        assertThat(logs.texts()).noneMatch(t -> t.contains(TestMessages.CANARY_FAMILY) || t.contains("xxxxxxxx"));
    }

    /** Decided: rejected whole (AR, nothing stored) rather than 100,000 records committed in one transaction. */
    @Test
    void hundredThousandObx_isAR_tooManySegments_andNothingIsStored() throws Exception {
        String message = TestMessages.manyObservations("OBX-100K", 100_000);
        try (MllpClient client = lab.client().patient(PATIENCE)) {
            AckView ack = AckView.of(client.send(message));

            assertThat(ack.code()).isEqualTo("AR");
            assertThat(ack.acknowledgedId()).isEqualTo("OBX-100K");
            assertThat(ack.field("MSA", 3)).startsWith("TB-HL7-006 the message holds 100003 segments; at most "
                    + Hl7Intake.MAX_SEGMENTS_PER_MESSAGE);
            assertThat(lab.journal().records()).isEmpty();
            assertAGoodMessageIsStillAccepted(client);
        }
    }

    @Test
    void messageAtTheSegmentLimit_isAccepted() throws Exception {
        try (MllpClient client = lab.client().patient(PATIENCE)) {
            AckView ack = AckView.of(client.send(TestMessages.manyObservations("OBX-LIMIT",
                    Hl7Intake.MAX_SEGMENTS_PER_MESSAGE - 3)));

            assertThat(ack.code()).isEqualTo("AA");
        }
    }

    @Test
    void wrongEncodingCharacters_repeatedDelimiters_areAE_andTheConnectionCarriesOn() throws Exception {
        String repeated = resource("msft_ORU-R01-RMGEAD.hl7").replace("MSH|^~\\&|", "MSH|^~\\^|");
        try (MllpClient client = lab.client().patient(PATIENCE)) {
            AckView ack = AckView.of(client.send(repeated));

            assertThat(ack.code()).isEqualTo("AE");
            assertThat(ack.field("MSA", 3)).startsWith("TB-HL7-002");
            assertThat(lab.journal().records()).isEmpty();
            assertAGoodMessageIsStillAccepted(client);
        }
    }

    @Test
    void frameOfRandomBinary_isAE_notHl7_andTheConnectionCarriesOn() throws Exception {
        byte[] noise = new byte[4096];
        new java.util.Random(4242).nextBytes(noise);
        for (int i = 0; i < noise.length; i++) {
            if (noise[i] == MllpClient.START || noise[i] == MllpClient.END) {
                noise[i] = 'z';
            }
        }
        noise[0] = 'Q';
        try (MllpClient client = lab.client().patient(PATIENCE)) {
            client.sendFrame(noise);
            AckView ack = AckView.of(new String(client.readFrame(), StandardCharsets.UTF_8));

            assertThat(ack.code()).isEqualTo("AE");
            assertThat(ack.field("MSA", 3)).startsWith("TB-HL7-001");
            assertAGoodMessageIsStillAccepted(client);
        }
    }
}
