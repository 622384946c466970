package org.twinbridge.connector.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twinbridge.connector.hl7v2.TestMessages.CANARIES;
import static org.twinbridge.connector.hl7v2.TestMessages.CANARY_FAMILY;
import static org.twinbridge.connector.hl7v2.TestMessages.canaryOru;
import static org.twinbridge.connector.hl7v2.TestMessages.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.camel.component.mllp.MllpComponent;
import org.junit.jupiter.api.Test;

/**
 * No patient data in logs or exception messages (STYLE rule 7): every path a payload takes, accepted or not,
 * is driven with canary values while all logs, camel-mllp's and HAPI's included, are captured down to TRACE.
 */
class NoPhiInLogsTest {

    @Test
    void mllpComponent_hasLogPhiOff() throws Exception {
        try (Hl7Harness lab = Hl7Harness.start()) {
            MllpComponent mllp = lab.camel().getComponent("twinbridge-mllp-" + Hl7Harness.CONNECTOR_ID,
                    MllpComponent.class);

            assertThat(mllp.getLogPhi()).isFalse();
            assertThat(mllp.getLogPhiMaxBytes()).isEqualTo(1);
        }
    }

    @Test
    void noPayloadOrCanaryIsLogged_onAnyPathAMessageCanTake() throws Exception {
        List<String> logged;
        try (LogCapture logs = LogCapture.start(); Hl7Harness lab = Hl7Harness.start()) {
            try (MllpClient client = lab.client()) {
                // Accepted.
                assertThat(AckView.of(client.send(canaryOru("PHI-1", "2.5.1"))).code()).isEqualTo("AA");
                // Not stored: the journal's exception quotes record content.
                lab.journal().fail("constraint violated for " + CANARY_FAMILY + " " + TestMessages.CANARY_MRN);
                assertThat(AckView.of(client.send(canaryOru("PHI-2", "2.5.1"))).code()).isEqualTo("AR");
                lab.journal().recover();
                // Not HL7, unsupported type, unsupported version, bad delimiters, no batch header.
                assertThat(AckView.of(client.send(CANARY_FAMILY + " was here")).code()).isEqualTo("AE");
                assertThat(AckView.of(client.send(canaryOru("PHI-3", "2.5.1").replace("ORU^R01^ORU_R01",
                        "ORM^O01"))).code()).isEqualTo("AR");
                assertThat(AckView.of(client.send(canaryOru("PHI-4", "2.2"))).code()).isEqualTo("AR");
                assertThat(AckView.of(client.send(canaryOru("PHI-5", "2.5.1").replace("MSH|^~\\&|", "MSH|^~}|")))
                        .code()).isEqualTo("AE");
                assertThat(AckView.of(client.send(canaryOru("PHI-6", "2.5.1") + canaryOru("PHI-7", "2.5.1")))
                        .code()).isEqualTo("AE");
                // A batch.
                assertThat(AckView.of(client.send(message("BHS|^~\\&|LAB|FAC|TB|NODE|20240305||||B-PHI")
                        + canaryOru("PHI-8", "2.5.1") + message("BTS|1"))).codes()).containsExactly("AA");
                // Bytes outside any frame, then a frame that holds only junk.
                client.sendRaw((CANARY_FAMILY + " out of band\r").getBytes(StandardCharsets.UTF_8));
                ByteArrayOutputStream junkThenFrame = new ByteArrayOutputStream();
                junkThenFrame.write((TestMessages.CANARY_STREET + " junk").getBytes(StandardCharsets.UTF_8));
                client.sendFrame(junkThenFrame.toByteArray());
                assertThat(AckView.of(new String(client.readFrame(), StandardCharsets.UTF_8)).code())
                        .isEqualTo("AE");
            }
            // A frame cut off when the sender goes away.
            try (MllpClient client = lab.client()) {
                ByteArrayOutputStream partial = new ByteArrayOutputStream();
                partial.write(MllpClient.START);
                partial.write(canaryOru("PHI-9", "2.5.1").getBytes(StandardCharsets.UTF_8));
                client.sendRaw(partial.toByteArray());
            }
            try (MllpClient client = lab.client()) {
                assertThat(AckView.of(client.send(canaryOru("PHI-10", "2.5.1"))).code()).isEqualTo("AA");
            }
            logged = logs.texts();
        }

        assertThat(logged).as("the capture works").anyMatch(line -> line.contains("TB-HL7-050"));
        assertThat(logged).as("rejections are logged with their codes").anyMatch(line -> line.contains("TB-HL7-011"));
        for (String canary : CANARIES) {
            assertThat(logged).noneMatch(line -> line.toLowerCase(Locale.ROOT)
                    .contains(canary.toLowerCase(Locale.ROOT)));
        }
        assertThat(logged).noneMatch(line -> line.contains("PID|") || line.contains("OBX|"));
    }
}
