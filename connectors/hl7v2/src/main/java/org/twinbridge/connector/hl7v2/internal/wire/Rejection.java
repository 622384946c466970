package org.twinbridge.connector.hl7v2.internal.wire;

/**
 * Why a message was not accepted: the acknowledgement code, the HL7 error code (table 0357), where in the
 * message the problem is, and a stable TwinBridge code with a message for the sender's operators.
 *
 * <p>Every text here is built by the connector from fixed words, field positions and sanitised tokens (message
 * type, version); never from field content, so an ERR segment or a log line cannot carry patient data.
 *
 * @param ack      AE or AR
 * @param hl7Code  HL7 table 0357 code, for example 200 (unsupported message type)
 * @param location ERR location as {@code segment^sequence^field}, or "" if not specific
 * @param code     stable TwinBridge error code, for example {@code TB-HL7-011}
 * @param message  what was wrong and what is accepted
 */
public record Rejection(AckCode ack, int hl7Code, String location, String code, String message) {

    public Rejection {
        if (ack == AckCode.AA) {
            throw new IllegalArgumentException("a rejection is AE or AR");
        }
    }

    /** The HL7 table 0357 text for {@link #hl7Code()}. */
    public String hl7Text() {
        return switch (hl7Code) {
            case 100 -> "Segment sequence error";
            case 101 -> "Required field missing";
            case 102 -> "Data type error";
            case 103 -> "Table value not found";
            case 200 -> "Unsupported message type";
            case 201 -> "Unsupported event code";
            case 202 -> "Unsupported processing id";
            case 203 -> "Unsupported version id";
            default -> "Application internal error";
        };
    }

    /** TB-HL7-001: the frame holds no HL7 v2 message. */
    public static Rejection notHl7() {
        return new Rejection(AckCode.AE, 100, "", "TB-HL7-001",
                "the frame does not start with an MSH, FHS or BHS segment; it is not an HL7 v2 message");
    }

    /** TB-HL7-002: MSH-2 is not a usable set of encoding characters. */
    public static Rejection badDelimiters() {
        return new Rejection(AckCode.AE, 102, "MSH^1^2", "TB-HL7-002",
                "MSH-2 must hold 4 (or, from v2.7, 5) distinct encoding characters, such as ^~\\&");
    }

    /** TB-HL7-003: a header field the connector needs is empty. */
    public static Rejection missingHeaderField(int field, String what) {
        return new Rejection(AckCode.AE, 101, "MSH^1^" + field, "TB-HL7-003", "MSH-" + field + " (" + what
                + ") is required");
    }

    /** TB-HL7-004: several messages in one frame without a batch header. */
    public static Rejection unbatchedMessages(int count) {
        return new Rejection(AckCode.AE, 100, "", "TB-HL7-004", "the frame holds " + count
                + " messages but no BHS batch header; send one message per frame, or wrap them in BHS ... BTS");
    }

    /** TB-HL7-005: the frame is larger than the connector accepts. */
    public static Rejection frameTooLarge(int bytes, int maxBytes) {
        return new Rejection(AckCode.AR, 207, "", "TB-HL7-005", "the frame is " + bytes + " bytes; at most "
                + maxBytes + " are accepted; split the message or send results in several messages");
    }

    /** TB-HL7-006: a message with more segments than the connector accepts. */
    public static Rejection tooManySegments(int segments, int maxSegments) {
        return new Rejection(AckCode.AR, 207, "", "TB-HL7-006", "the message holds " + segments
                + " segments; at most " + maxSegments + " are accepted; send the results in several messages");
    }

    /** TB-HL7-007: bytes that are not valid in the frame's character set. */
    public static Rejection invalidEncoding(String charset) {
        return new Rejection(AckCode.AE, 102, "MSH^1^18", "TB-HL7-007", "the frame holds bytes that are not valid "
                + charset + "; declare the character set used in MSH-18, or send valid " + charset);
    }

    /** TB-HL7-010: version outside 2.3 to 2.8. */
    public static Rejection unsupportedVersion(String printableVersion) {
        return new Rejection(AckCode.AR, 203, "MSH^1^12", "TB-HL7-010", "HL7 version " + printableVersion
                + " is not accepted; versions 2.3 to 2.8.x are");
    }

    /** TB-HL7-011: message type not accepted. */
    public static Rejection unsupportedType(String printableType, String accepted) {
        return new Rejection(AckCode.AR, 200, "MSH^1^9", "TB-HL7-011", "message type " + printableType
                + " is not accepted by this connector; accepted: " + accepted);
    }

    /** TB-HL7-012: trigger event not accepted for a known message code. */
    public static Rejection unsupportedEvent(String printableType, String accepted) {
        return new Rejection(AckCode.AR, 201, "MSH^1^9", "TB-HL7-012", "trigger event of " + printableType
                + " is not accepted by this connector; accepted: " + accepted);
    }

    /** TB-HL7-020: sender not on the connector's allow-list. */
    public static Rejection unauthorisedSender() {
        return new Rejection(AckCode.AR, 207, "MSH^1^3", "TB-HL7-020",
                "the sending application and facility (MSH-3, MSH-4) are not allowed to send to this connector");
    }

    /** TB-HL7-030: HAPI could not parse the message. */
    public static Rejection unparseable(String location, int hl7Code) {
        return new Rejection(AckCode.AE, hl7Code, location, "TB-HL7-030", "the message could not be parsed"
                + (location.isEmpty() ? "" : " at " + location.replace('^', ' ')));
    }

    /** TB-HL7-031: a segment the mapping needs is missing. */
    public static Rejection missingSegment(String segment) {
        return new Rejection(AckCode.AE, 100, segment + "^1", "TB-HL7-031", "the message has no " + segment
                + " segment, which this message type requires");
    }

    /** TB-HL7-032: a field the mapping needs is empty. */
    public static Rejection missingField(String segment, int field, String what) {
        return new Rejection(AckCode.AE, 101, segment + "^1^" + field, "TB-HL7-032", segment + "-" + field + " ("
                + what + ") is required");
    }

    /**
     * TB-HL7-033: a typed field holds a value that does not parse as its type (a non-numeric NM, an impossible
     * date). The value itself is never echoed: it may be PHI.
     *
     * @param segment  the segment's name, for example {@code OBX}
     * @param sequence which occurrence of that segment in the message, from 1
     * @param field    the field's position
     * @param type     the HL7 data type the value must have, for example {@code NM} or {@code DTM}
     */
    public static Rejection invalidValue(String segment, int sequence, int field, String type) {
        return new Rejection(AckCode.AE, 102, segment + "^" + sequence + "^" + field, "TB-HL7-033", segment + "-"
                + field + " (segment " + segment + " #" + sequence + ") is not a valid " + type + " value; "
                + "nothing of the message was stored: correct the value (or leave the field empty) and resend");
    }

    /** TB-HL7-040: the mapping failed unexpectedly (a defect; the sender should not resend unchanged). */
    public static Rejection mappingFailed() {
        return new Rejection(AckCode.AE, 207, "", "TB-HL7-040",
                "the message could not be mapped to FHIR; it was not stored (see the node's log)");
    }

    /** TB-HL7-050: the journal did not commit; resending later is safe. */
    public static Rejection notStored() {
        return new Rejection(AckCode.AR, 207, "", "TB-HL7-050",
                "the message could not be stored; nothing was kept, resend it later");
    }
}
