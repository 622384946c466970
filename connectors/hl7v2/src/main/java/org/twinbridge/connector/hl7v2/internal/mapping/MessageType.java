package org.twinbridge.connector.hl7v2.internal.mapping;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The message types the connector maps, with the abstract message structure each is parsed into. */
public enum MessageType {
    ORU_R01("ORU", "R01", "ORU_R01"),
    ADT_A01("ADT", "A01", "ADT_A01"),
    // A02, A11, A12 and A13 carry PID and PV1 in the same order as A01; one structure reads them all.
    ADT_A02("ADT", "A02", "ADT_A01"),
    ADT_A03("ADT", "A03", "ADT_A03"),
    ADT_A04("ADT", "A04", "ADT_A01"),
    ADT_A08("ADT", "A08", "ADT_A01"),
    ADT_A11("ADT", "A11", "ADT_A01"),
    ADT_A12("ADT", "A12", "ADT_A01"),
    ADT_A13("ADT", "A13", "ADT_A01"),
    ADT_A40("ADT", "A40", "ADT_A39");

    private final String code;
    private final String event;
    private final String structure;

    MessageType(String code, String event, String structure) {
        this.code = code;
        this.event = event;
        this.structure = structure;
    }

    /** The type for MSH-9.1 and MSH-9.2, if the connector maps it. */
    public static Optional<MessageType> of(String code, String event) {
        return Arrays.stream(values()).filter(t -> t.code.equalsIgnoreCase(code) && t.event.equalsIgnoreCase(event))
                .findFirst();
    }

    /** The type for its configuration spelling, {@code ORU^R01}. */
    public static Optional<MessageType> parse(String text) {
        String[] parts = text.trim().toUpperCase(Locale.ROOT).split("\\^");
        return parts.length == 2 ? of(parts[0], parts[1]) : Optional.empty();
    }

    public String code() {
        return code;
    }

    public String event() {
        return event;
    }

    /** The HL7 v2.8 abstract message structure, e.g. ADT_A39 for A40. */
    String structure() {
        return structure;
    }

    /** The configuration spelling, e.g. {@code ADT^A40}. */
    public String spelling() {
        return code + "^" + event;
    }
}
