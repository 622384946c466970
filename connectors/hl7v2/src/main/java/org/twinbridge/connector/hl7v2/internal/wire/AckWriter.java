package org.twinbridge.connector.hl7v2.internal.wire;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes original-mode acknowledgements ({@code ACK} with {@code MSA} and, for AE/AR, {@code ERR}) and batch
 * acknowledgements. The ACK echoes the incoming message's delimiters, so the sender's own MSH-3 to MSH-6 can be
 * copied into it unchanged. The ERR layout follows the message's version: ERR-1 (ELD) before v2.5, ERR-2 to
 * ERR-8 from v2.5. MSA-3 (withdrawn in v2.7) carries the error text for older versions. Thread-safe.
 */
public final class AckWriter {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
    private static final String STANDARD = "^~\\&";
    private final Clock clock;
    private final AtomicLong sequence;

    public AckWriter(Clock clock) {
        this.clock = clock;
        this.sequence = new AtomicLong(clock.millis());
    }

    /**
     * The acknowledgement of one message.
     *
     * @param header    the message's header, or empty if it had none that could be read
     * @param rejection why it was not accepted, or empty for AA
     */
    public String ack(Optional<MshHeader> header, Optional<Rejection> rejection) {
        Optional<MshHeader> echoed = header.filter(MshHeader::hasValidDelimiters);
        Delimiters d = echoed.map(Delimiters::of).orElse(Delimiters.STANDARD);
        String version = header.map(MshHeader::printableVersion).filter(v -> !v.startsWith("(")).orElse("2.5.1");
        StringBuilder ack = new StringBuilder();
        ack.append("MSH").append(d.field).append(d.encoding);
        if (echoed.isPresent()) {
            MshHeader h = echoed.get();
            appendFields(ack, d, h.field(5), h.field(6), h.field(3), h.field(4));
        } else {
            appendFields(ack, d, "", "", "", "");
        }
        String event = header.map(MshHeader::triggerEvent).map(MshHeader::printable)
                .filter(e -> !e.startsWith("(")).orElse("");
        String type = "ACK" + (event.isEmpty() ? "" : d.component + event)
                + (olderThan(version, 2, 3, 1) || event.isEmpty() ? "" : d.component + "ACK");
        String processing = header.map(MshHeader::processingId).filter(p -> p.matches("[A-Z]")).orElse("P");
        appendFields(ack, d, now(), "", type, nextControlId(), processing, version);
        ack.append('\r');
        ack.append("MSA").append(d.field).append(rejection.map(Rejection::ack).orElse(AckCode.AA));
        // The control id is echoed as sent when the delimiters are trusted, else only if it is plainly printable.
        ack.append(d.field).append(echoed.map(h -> h.component(10, 1))
                .orElse(header.map(MshHeader::controlId).filter(id -> id.matches("[A-Za-z0-9._:-]{1,64}")).orElse("")));
        if (rejection.isPresent() && olderThan(version, 2, 7, 0)) {
            ack.append(d.field).append(d.escape(truncate(rejection.get().code() + " "
                    + rejection.get().message(), 80)));
        }
        ack.append('\r');
        rejection.ifPresent(r -> ack.append(err(r, d, version)).append('\r'));
        return ack.toString();
    }

    /**
     * A batch acknowledgement: the incoming file and batch headers answered (sender and receiver swapped, the
     * incoming control ids referenced), then one ACK per message in order, then BTS and FTS.
     */
    public String batchAck(Optional<MshHeader> fileHeader, Optional<MshHeader> batchHeader, List<String> acks) {
        Optional<MshHeader> echoed = batchHeader.or(() -> fileHeader).filter(MshHeader::hasValidDelimiters);
        Delimiters d = echoed.map(Delimiters::of).orElse(Delimiters.STANDARD);
        boolean echo = echoed.isPresent();
        StringBuilder out = new StringBuilder();
        fileHeader.ifPresent(h -> out.append(batchSegment("FHS", echo ? h : null, d)).append('\r'));
        out.append(batchSegment("BHS", echo ? batchHeader.orElse(null) : null, d)).append('\r');
        acks.forEach(out::append);
        out.append("BTS").append(d.field).append(acks.size()).append('\r');
        fileHeader.ifPresent(h -> out.append("FTS").append(d.field).append(1).append('\r'));
        return out.toString();
    }

    private String batchSegment(String name, MshHeader incoming, Delimiters d) {
        StringBuilder s = new StringBuilder(name).append(d.field).append(d.encoding);
        boolean echo = incoming != null;
        appendFields(s, d, echo ? incoming.field(5) : "", echo ? incoming.field(6) : "",
                echo ? incoming.field(3) : "", echo ? incoming.field(4) : "", now(), "", "", "", nextControlId(),
                echo ? incoming.field(11) : "");
        return s.toString();
    }

    private static String err(Rejection r, Delimiters d, String version) {
        String[] location = r.location().isEmpty() ? new String[0] : r.location().split("\\^");
        if (olderThan(version, 2, 5, 0)) {
            String code = r.hl7Code() + String.valueOf(d.sub) + d.escape(r.hl7Text()) + d.sub + "HL70357";
            // ERR-1 (ELD): segment^sequence^field^code&text&table
            String segment = location.length > 0 ? location[0] : "";
            String sequence = location.length > 1 ? location[1] : "";
            String field = location.length > 2 ? location[2] : "";
            return "ERR" + d.field + segment + d.component + sequence + d.component + field + d.component + code;
        }
        String erl = String.join(String.valueOf(d.component), location);
        String cwe = r.hl7Code() + String.valueOf(d.component) + d.escape(r.hl7Text()) + d.component + "HL70357";
        String appCode = r.code() + d.component + d.component + "L";
        return "ERR" + d.field + d.field + erl + d.field + cwe + d.field + "E" + d.field + appCode + d.field
                + d.field + d.field + d.escape(r.code() + " " + r.message());
    }

    private static void appendFields(StringBuilder out, Delimiters d, String... values) {
        for (String value : values) {
            out.append(d.field).append(value);
        }
    }

    private String now() {
        return ZonedDateTime.now(clock).format(TIMESTAMP);
    }

    private String nextControlId() {
        return "TB" + Long.toString(sequence.incrementAndGet(), 36).toUpperCase(java.util.Locale.ROOT);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** Whether {@code version} (like 2.3.1) sorts before major.minor.patch. */
    static boolean olderThan(String version, int major, int minor, int patch) {
        String[] parts = version.split("\\.");
        int[] v = new int[3];
        for (int i = 0; i < Math.min(3, parts.length); i++) {
            try {
                v[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        int[] other = {major, minor, patch};
        for (int i = 0; i < 3; i++) {
            if (v[i] != other[i]) {
                return v[i] < other[i];
            }
        }
        return false;
    }

    /** The delimiters the acknowledgement is written with. */
    private static final class Delimiters {
        static final Delimiters STANDARD = new Delimiters('|', AckWriter.STANDARD);
        final char field;
        final String encoding;
        final char component;
        final char repetition;
        final char escapeChar;
        final char sub;

        private Delimiters(char field, String encoding) {
            this.field = field;
            this.encoding = encoding;
            this.component = encoding.charAt(0);
            this.repetition = encoding.charAt(1);
            this.escapeChar = encoding.charAt(2);
            this.sub = encoding.charAt(3);
        }

        static Delimiters of(MshHeader header) {
            return new Delimiters(header.fieldSeparator(), header.encodingCharacters());
        }

        /** Escapes text written by the connector with the HL7 escape sequences \F\ \S\ \R\ \E\ \T\. */
        String escape(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (char c : text.toCharArray()) {
                if (c == escapeChar) {
                    out.append(escapeChar).append('E').append(escapeChar);
                } else if (c == field) {
                    out.append(escapeChar).append('F').append(escapeChar);
                } else if (c == component) {
                    out.append(escapeChar).append('S').append(escapeChar);
                } else if (c == repetition) {
                    out.append(escapeChar).append('R').append(escapeChar);
                } else if (c == sub) {
                    out.append(escapeChar).append('T').append(escapeChar);
                } else if (c == '\r' || c == '\n') {
                    out.append(' ');
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
