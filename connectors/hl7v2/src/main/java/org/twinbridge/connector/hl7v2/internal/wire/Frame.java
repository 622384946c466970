package org.twinbridge.connector.hl7v2.internal.wire;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of one MLLP frame, decoded and cut into messages: a single message, or an FHS/BHS batch of
 * messages. Segments may end with CR, LF or CRLF; blank lines are dropped.
 *
 * @param charset       the character set the frame was decoded with (the ACK is encoded with it too)
 * @param fileHeader    the FHS segment, if the frame is a file batch
 * @param batchHeader   the BHS segment, if the frame is a batch
 * @param messages      each message's segments joined with CR, in order
 * @param leadingJunk   whether something other than FHS, BHS or MSH came first (the frame is not HL7 v2)
 */
public record Frame(Charset charset, Optional<MshHeader> fileHeader, Optional<MshHeader> batchHeader,
        List<String> messages, boolean leadingJunk) {

    /** HL7 table 0211 names (MSH-18) for the character sets Java knows. */
    private static final Map<String, Charset> HL7_CHARSETS = Map.ofEntries(
            Map.entry("ASCII", StandardCharsets.US_ASCII),
            Map.entry("ISO IR6", StandardCharsets.US_ASCII),
            Map.entry("8859/1", StandardCharsets.ISO_8859_1),
            Map.entry("ISO IR100", StandardCharsets.ISO_8859_1),
            Map.entry("UNICODE UTF-8", StandardCharsets.UTF_8),
            Map.entry("UNICODE", StandardCharsets.UTF_8),
            Map.entry("UTF-8", StandardCharsets.UTF_8));

    public Frame {
        messages = List.copyOf(messages);
    }

    /** Whether the frame is a batch (it starts with FHS or BHS). */
    public boolean isBatch() {
        return fileHeader.isPresent() || batchHeader.isPresent();
    }

    /**
     * Decodes and splits a frame. The character set is MSH-18 of the first message when Java supports it, else
     * {@code fallback}.
     */
    public static Frame of(byte[] payload, Charset fallback) {
        Charset charset = declaredCharset(payload).orElse(fallback);
        List<String> segments = segments(new String(payload, charset));
        Optional<MshHeader> file = Optional.empty();
        Optional<MshHeader> batch = Optional.empty();
        List<String> messages = new ArrayList<>();
        StringBuilder current = null;
        boolean junk = false;
        for (String segment : segments) {
            String name = segment.length() >= 3 ? segment.substring(0, 3) : segment;
            if (current == null && messages.isEmpty() && name.equals("FHS") && file.isEmpty() && batch.isEmpty()) {
                file = MshHeader.read(segment);
            } else if (current == null && messages.isEmpty() && name.equals("BHS") && batch.isEmpty()) {
                batch = MshHeader.read(segment);
            } else if (name.equals("MSH")) {
                if (current != null) {
                    messages.add(current.toString());
                }
                current = new StringBuilder(segment);
            } else if (name.equals("BTS") || name.equals("FTS")) {
                if (current != null) {
                    messages.add(current.toString());
                    current = null;
                }
            } else if (current != null) {
                current.append('\r').append(segment);
            } else if (messages.isEmpty()) {
                junk = true;
                break;
            }
        }
        if (current != null) {
            messages.add(current.toString());
        }
        return new Frame(charset, file, batch, messages, junk || (messages.isEmpty() && file.isEmpty()
                && batch.isEmpty()));
    }

    /**
     * Whether the payload is well-formed in the character set it declares in MSH-18 (else {@code fallback}): a
     * strict decode, where {@link #of} replaces malformed bytes.
     */
    public static boolean decodesCleanly(byte[] payload, Charset fallback) {
        Charset charset = declaredCharset(payload).orElse(fallback);
        try {
            charset.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(payload));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static List<String> segments(String text) {
        List<String> segments = new ArrayList<>();
        for (String line : text.split("\r\n|\r|\n")) {
            String segment = stripControl(line);
            if (!segment.isBlank()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    // Leading NULs, form feeds or stray MLLP bytes before a segment name are transport noise, not content.
    private static String stripControl(String line) {
        int start = 0;
        while (start < line.length() && (Character.isISOControl(line.charAt(start)) || line.charAt(start) == ' ')) {
            start++;
        }
        return line.substring(start);
    }

    private static Optional<Charset> declaredCharset(byte[] payload) {
        // Header fields are ASCII in every HL7 character set that MLLP can carry, so a Latin-1 view finds MSH-18.
        for (String segment : segments(new String(payload, StandardCharsets.ISO_8859_1))) {
            if (segment.startsWith("MSH")) {
                String name = MshHeader.read(segment).map(MshHeader::characterSet).orElse("");
                if (HL7_CHARSETS.containsKey(name)) {
                    return Optional.of(HL7_CHARSETS.get(name));
                }
                if (name.startsWith("8859/")) {
                    return supported("ISO-8859-" + name.substring(5));
                }
                return name.isEmpty() ? Optional.empty() : supported(name);
            }
        }
        return Optional.empty();
    }

    private static Optional<Charset> supported(String name) {
        try {
            return Charset.isSupported(name) ? Optional.of(Charset.forName(name)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "Frame[" + (isBatch() ? "batch, " : "") + messages.size() + " message(s), " + charset + "]";
    }
}
