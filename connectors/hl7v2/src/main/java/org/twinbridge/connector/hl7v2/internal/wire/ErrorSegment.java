package org.twinbridge.connector.hl7v2.internal.wire;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.util.Terser;

/**
 * Fills the ERR segment (and, before v2.7, MSA-3) of an acknowledgement HAPI generated, in the layout of the
 * message's version: ERR-1 (ELD) before v2.5, ERR-2 to ERR-8 from v2.5. HAPI's own
 * {@code HL7Exception.populateResponse} is not used: it puts the text in ERR-3.9 and has no place for the
 * TwinBridge code (ERR-5), which senders' operators look up in the error catalogue. Values are set unescaped;
 * HAPI's encoder escapes them in the sender's delimiters.
 */
final class ErrorSegment {

    private static final String TABLE = "HL70357";
    private static final int MSA3_MAX = 80;

    private ErrorSegment() {
    }

    static void fill(Message ack, Rejection r, String version) throws HL7Exception {
        String text = oneLine(r.code() + " " + r.message());
        if (AckWriter.olderThan(version, 2, 7, 0)) {
            // MSA-3 (text message) was withdrawn in v2.7; it is 80 characters long.
            Terser.set((Segment) ack.get("MSA"), 3, 0, 1, 1, text.length() <= MSA3_MAX ? text
                    : text.substring(0, MSA3_MAX));
        }
        Segment err = (Segment) ack.get("ERR");
        String[] location = r.location().isEmpty() ? new String[0] : r.location().split("\\^");
        if (AckWriter.olderThan(version, 2, 5, 0)) {
            // ERR-1 (ELD): segment^sequence^field^code&text&table
            for (int i = 0; i < Math.min(3, location.length); i++) {
                Terser.set(err, 1, 0, i + 1, 1, location[i]);
            }
            Terser.set(err, 1, 0, 4, 1, Integer.toString(r.hl7Code()));
            Terser.set(err, 1, 0, 4, 2, r.hl7Text());
            Terser.set(err, 1, 0, 4, 3, TABLE);
            return;
        }
        for (int i = 0; i < location.length; i++) {
            Terser.set(err, 2, 0, i + 1, 1, location[i]);
        }
        Terser.set(err, 3, 0, 1, 1, Integer.toString(r.hl7Code()));
        Terser.set(err, 3, 0, 2, 1, r.hl7Text());
        Terser.set(err, 3, 0, 3, 1, TABLE);
        Terser.set(err, 4, 0, 1, 1, "E");
        // ERR-5 (application error code): the TwinBridge code, in a local coding system.
        Terser.set(err, 5, 0, 1, 1, r.code());
        Terser.set(err, 5, 0, 3, 1, "L");
        Terser.set(err, 8, 0, 1, 1, text);
    }

    private static String oneLine(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }
}
