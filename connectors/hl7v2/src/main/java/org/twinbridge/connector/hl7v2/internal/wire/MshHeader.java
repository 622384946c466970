package org.twinbridge.connector.hl7v2.internal.wire;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The few header fields the connector needs before (and regardless of) a full parse: who sent the message,
 * what it is, its control id, its version and its character set. Read tolerantly from the raw MSH (or FHS/BHS)
 * segment, so that even a message HAPI cannot parse gets an acknowledgement that names it.
 *
 * <p>Holds no patient data, but {@link #toString()} still prints the message type and version only.
 */
public final class MshHeader {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_]{1,20}");
    private static final Pattern VERSION = Pattern.compile("\\d(\\.\\d{1,2}){1,2}");

    private final String segment;
    private final char fieldSeparator;
    private final String encodingCharacters;
    private final List<String> fields;

    private MshHeader(String segment, char fieldSeparator, String encodingCharacters, List<String> fields) {
        this.segment = segment;
        this.fieldSeparator = fieldSeparator;
        this.encodingCharacters = encodingCharacters;
        this.fields = List.copyOf(fields);
    }

    /**
     * Reads a header segment ({@code MSH}, {@code FHS} or {@code BHS}): the text up to the first segment end.
     *
     * @return empty if the text does not start with a header segment
     */
    public static Optional<MshHeader> read(String text) {
        int end = text.indexOf('\r');
        int lf = text.indexOf('\n');
        if (lf >= 0 && (end < 0 || lf < end)) {
            end = lf;
        }
        String segment = end < 0 ? text : text.substring(0, end);
        if (segment.length() < 4 || !(segment.startsWith("MSH") || segment.startsWith("FHS")
                || segment.startsWith("BHS"))) {
            return Optional.empty();
        }
        char separator = segment.charAt(3);
        if (Character.isLetterOrDigit(separator) || Character.isWhitespace(separator)) {
            return Optional.empty();
        }
        List<String> parts = List.of(segment.substring(4).split(Pattern.quote(String.valueOf(separator)), -1));
        return Optional.of(new MshHeader(segment, separator, parts.get(0), parts));
    }

    /** The header segment as sent, without its segment end; for HAPI's parser, never for logs or errors. */
    public String segment() {
        return segment;
    }

    /** The raw text of header field {@code n} (n ≥ 2), or "" when absent. */
    public String field(int n) {
        if (n == 1) {
            return String.valueOf(fieldSeparator);
        }
        int index = n - 2;
        return index < fields.size() ? fields.get(index) : "";
    }

    /** Component {@code c} (1-based) of the first repetition of field {@code n}; the raw text, not unescaped. */
    public String component(int n, int c) {
        String value = field(n);
        if (!encodingCharacters.isEmpty()) {
            int repetition = encodingCharacters.length() > 1 ? value.indexOf(encodingCharacters.charAt(1)) : -1;
            if (repetition >= 0) {
                value = value.substring(0, repetition);
            }
        }
        String[] components = encodingCharacters.isEmpty() ? new String[] {value}
                : value.split(Pattern.quote(String.valueOf(encodingCharacters.charAt(0))), -1);
        return c - 1 < components.length ? components[c - 1] : "";
    }

    public char fieldSeparator() {
        return fieldSeparator;
    }

    /** MSH-2 as sent: component, repetition, escape, subcomponent and (v2.7+) truncation characters. */
    public String encodingCharacters() {
        return encodingCharacters;
    }

    /**
     * Whether the delimiters are usable: four or five distinct encoding characters, none of them the field
     * separator, a letter, a digit or white space.
     */
    public boolean hasValidDelimiters() {
        String all = fieldSeparator + encodingCharacters;
        if (encodingCharacters.length() < 4 || encodingCharacters.length() > 5) {
            return false;
        }
        return all.chars().distinct().count() == all.length()
                && all.chars().noneMatch(ch -> Character.isLetterOrDigit(ch) || Character.isWhitespace(ch));
    }

    /** MSH-9.1, for example {@code ORU}. */
    public String messageCode() {
        return component(9, 1).trim();
    }

    /** MSH-9.2, for example {@code R01}. */
    public String triggerEvent() {
        return component(9, 2).trim();
    }

    /** MSH-10. */
    public String controlId() {
        return component(10, 1).trim();
    }

    /** MSH-11.1, for example {@code P}. */
    public String processingId() {
        return component(11, 1).trim();
    }

    /** MSH-12.1, for example {@code 2.5.1}. */
    public String version() {
        return component(12, 1).trim();
    }

    /** MSH-18, first repetition, for example {@code UNICODE UTF-8}. */
    public String characterSet() {
        return component(18, 1).trim();
    }

    /** The namespace of MSH-3 (sending application). */
    public String sendingApplication() {
        return component(3, 1).trim();
    }

    /** The namespace of MSH-4 (sending facility). */
    public String sendingFacility() {
        return component(4, 1).trim();
    }

    /** A printable form of a token from the message (type, event), or {@code (invalid)}: never raw content. */
    public static String printable(String token) {
        return TOKEN.matcher(token).matches() ? token : "(invalid)";
    }

    /** The version if it looks like one (2.5, 2.5.1), else {@code (invalid)}. */
    public String printableVersion() {
        return VERSION.matcher(version()).matches() ? version() : "(invalid)";
    }

    /** The message type for logs and error texts, for example {@code ORU^R01} spelt {@code ORU R01}. */
    public String printableType() {
        return printable(messageCode()) + " " + printable(triggerEvent());
    }

    @Override
    public String toString() {
        return "MshHeader[" + printableType() + ", v" + printableVersion() + "]";
    }
}
