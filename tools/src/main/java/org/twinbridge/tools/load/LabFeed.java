package org.twinbridge.tools.load;

import java.io.IOException;
import java.time.Duration;
import org.twinbridge.tools.demo.MllpSender;

/**
 * A laboratory system sending synthetic HL7 v2.5.1 ORU^R01 results over MLLP, one message at a time, each with a
 * unique control id ({@code <run>-L<n>}, also the order's filler number OBR-3, which the connector maps to the
 * DiagnosticReport's identifier). Odd messages carry a heart rate (LOINC 8867-4), even ones a cholesterol result
 * (LOINC 2093-3), for {@code patients} synthetic patients whose MRNs are {@code <run>-MRN-<i>} (authority HOSP).
 * A message counts as acknowledged only on AA; AE, AR, a timeout or a dropped connection make it retry.
 */
public final class LabFeed extends Feed {

    /** The identifier system the node must map the HOSP assigning authority to. */
    public static final String MRN_SYSTEM = "urn:twinbridge:load:mrn";
    private final String host;
    private final int port;
    private final String run;
    private final int patients;
    private MllpSender sender;

    public LabFeed(String host, int port, String run, int patients, double perSecond,
            AckListener onAcknowledged) {
        super("lab", perSecond, onAcknowledged);
        this.host = host;
        this.port = port;
        this.run = run;
        this.patients = patients;
    }

    @Override
    public String journalKey(long seq) {
        return run + "-L" + seq;
    }

    @Override
    protected void sendOnce(long seq) throws IOException, FeedException {
        if (sender == null) {
            sender = MllpSender.connect(host, port, Duration.ofSeconds(15));
        }
        String controlId = journalKey(seq);
        String ack = sender.send(message(controlId, seq));
        String code = MllpSender.ackCode(ack);
        if (!"AA".equals(code)) {
            throw new FeedException("negative acknowledgement " + (code.isEmpty() ? "(none)" : code));
        }
    }

    private String message(String controlId, long seq) {
        return oru(run, controlId, seq, patients);
    }

    /**
     * The synthetic ORU^R01 this feed sends as message {@code seq} of run {@code run}, with control id
     * {@code controlId}, for one of {@code patients} patients; segments end in CR.
     */
    public static String oru(String run, String controlId, long seq, int patients) {
        long patient = seq % patients;
        boolean heartRate = seq % 2 == 1;
        String obx = heartRate
                ? "OBX|1|NM|8867-4^Heart rate^LN||" + (60 + seq % 60) + "|/min^^UCUM|||||F|||20240305071500+0000"
                : "OBX|1|NM|2093-3^Cholesterol^LN||" + (150 + seq % 100) + "|mg/dL^^UCUM|<200||||F|||"
                        + "20240305071500+0000";
        return String.join("\r",
                "MSH|^~\\&|LOADLAB|LOADFAC|TB|NODE|20240305081500+0000||ORU^R01^ORU_R01|" + controlId + "|P|2.5.1",
                "PID|1||" + run + "-MRN-" + patient + "^^^HOSP^MR||Synthetic^Patient" + patient + "||19700101|F",
                "OBR|1||" + controlId + "^LOADLAB|24331-1^Panel^LN|||20240305070000+0000",
                obx, "");
    }

    @Override
    protected void reset() {
        if (sender != null) {
            try {
                sender.close();
            } catch (IOException e) {
                // The connection is being abandoned anyway.
            }
            sender = null;
        }
    }
}
