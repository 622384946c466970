package org.twinbridge.connector.hl7v2.internal.wire;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.GenericMessage;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Writes original-mode acknowledgements with HAPI v2's {@link Message#generateACK}, and batch acknowledgements.
 *
 * <p>The incoming header is read into HAPI's generic model (any version, no validation) and HAPI builds the ACK
 * from it: sender and receiver swapped, MSA-1, MSA-2 the incoming control id, the sender's own delimiters, and
 * every text escaped by HAPI's encoder. A header whose delimiters cannot be trusted is never parsed: the ACK is
 * then generated from a header holding only standard delimiters and the control id, if that is plainly printable,
 * so no raw header field leaks into the answer.
 *
 * <p>The connector then sets what HAPI leaves to the application: MSH-7 from the node's clock, MSH-10 from its
 * own counter (HAPI's default generator keeps a counter file in the working directory), MSH-9, MSH-11 and MSH-12
 * from sanitised tokens, and for AE/AR the ERR segment (see {@link ErrorSegment}). Thread-safe: HAPI's parser
 * caches structure definitions in an unsynchronised map, so acknowledgements are written one at a time.
 */
public final class AckWriter {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
    private static final Pattern PRINTABLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final String STANDARD_ENCODING = "^~\\&";
    private static final EncodingCharacters STANDARD = new EncodingCharacters('|', STANDARD_ENCODING);
    private static final String DEFAULT_VERSION = "2.5.1";
    private final Clock clock;
    private final AtomicLong sequence;
    private final GenericModelClassFactory factory = new GenericModelClassFactory();
    private final PipeParser parser;

    public AckWriter(Clock clock) {
        this.clock = clock;
        this.sequence = new AtomicLong(clock.millis());
        HapiContext hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.setModelClassFactory(factory);
        hapi.getParserConfiguration().setIdGenerator(this::nextControlId);
        this.parser = hapi.getPipeParser();
    }

    /**
     * The acknowledgement of one message.
     *
     * @param header    the message's header, or empty if it had none that could be read
     * @param rejection why it was not accepted, or empty for AA
     */
    public synchronized String ack(Optional<MshHeader> header, Optional<Rejection> rejection) {
        Optional<Message> parsed = header.filter(MshHeader::hasValidDelimiters).flatMap(h -> parsed(h, "MSH"));
        if (parsed.isPresent()) {
            try {
                return write(parsed.get(), true, header, rejection);
            } catch (HL7Exception | IOException | RuntimeException e) {
                // A header HAPI read but cannot answer in its own delimiters is answered like an untrusted one.
            }
        }
        try {
            return write(sanitised(header), false, header, rejection);
        } catch (HL7Exception | IOException e) {
            // Every value written here is a sanitised token or connector text, which HAPI's generic model takes.
            throw new IllegalStateException("TB-HL7-040 could not write an acknowledgement: "
                    + e.getClass().getName(), e);
        }
    }

    private String write(Message incoming, boolean echo, Optional<MshHeader> header, Optional<Rejection> rejection)
            throws HL7Exception, IOException {
        String version = header.map(MshHeader::printableVersion).filter(v -> !v.startsWith("("))
                .orElse(DEFAULT_VERSION);
        String event = header.map(MshHeader::triggerEvent).map(MshHeader::printable)
                .filter(e -> !e.startsWith("(")).orElse("");
        String processing = header.map(MshHeader::processingId).filter(p -> p.matches("[A-Z]")).orElse("P");
        AckCode code = rejection.map(Rejection::ack).orElse(AckCode.AA);
        Message ack = incoming.generateACK(AcknowledgmentCode.valueOf(code.name()), null);
        Segment msh = (Segment) ack.get("MSH");
        if (echo) {
            swapSenderAndReceiver((Segment) incoming.get("MSH"), msh);
        }
        Terser.set(msh, 7, 0, 1, 1, now());
        Terser.set(msh, 9, 0, 2, 1, event);
        // MSH-9.3 (message structure) exists from v2.3.1 on; HAPI adds it only by the versions it has structures of.
        Terser.set(msh, 9, 0, 3, 1, event.isEmpty() || olderThan(version, 2, 3, 1) ? "" : "ACK");
        Terser.set(msh, 11, 0, 1, 1, processing);
        Terser.set(msh, 12, 0, 1, 1, version);
        if (rejection.isPresent()) {
            ErrorSegment.fill(ack, rejection.get(), version);
        }
        return ack.encode();
    }

    /**
     * A batch acknowledgement: the incoming file and batch headers answered (sender and receiver swapped, the
     * incoming control ids referenced), then one ACK per message in order, then BTS and FTS.
     */
    public synchronized String batchAck(Optional<MshHeader> fileHeader, Optional<MshHeader> batchHeader,
            List<String> acks) {
        Optional<MshHeader> echoed = batchHeader.or(() -> fileHeader).filter(MshHeader::hasValidDelimiters);
        EncodingCharacters encoding = echoed.map(AckWriter::encodingOf).orElse(STANDARD);
        // Written as sent: HAPI's EncodingCharacters.toString() appends a NUL when there is no truncation character.
        String encodingText = echoed.map(MshHeader::encodingCharacters).orElse(STANDARD_ENCODING);
        try {
            StringBuilder out = new StringBuilder();
            if (fileHeader.isPresent()) {
                out.append(batchSegment("FHS", echoed.isPresent() ? fileHeader : Optional.empty(), encoding,
                        encodingText));
            }
            out.append(batchSegment("BHS", echoed.isPresent() ? batchHeader : Optional.empty(), encoding,
                    encodingText));
            acks.forEach(out::append);
            out.append(trailer("BTS", acks.size(), encoding));
            if (fileHeader.isPresent()) {
                out.append(trailer("FTS", 1, encoding));
            }
            return out.toString();
        } catch (HL7Exception e) {
            throw new IllegalStateException("TB-HL7-040 could not write a batch acknowledgement: "
                    + e.getClass().getName(), e);
        }
    }

    private String batchSegment(String name, Optional<MshHeader> incoming, EncodingCharacters encoding,
            String encodingText) throws HL7Exception {
        Segment out = newSegment(name);
        Terser.set(out, 1, 0, 1, 1, String.valueOf(encoding.getFieldSeparator()));
        Terser.set(out, 2, 0, 1, 1, encodingText);
        Optional<Message> parsed = incoming.filter(MshHeader::hasValidDelimiters).flatMap(h -> parsed(h, name));
        if (parsed.isPresent()) {
            Segment in = (Segment) parsed.get().get(name);
            swapSenderAndReceiver(in, out);
            Terser.set(out, 12, 0, 1, 1, Terser.get(in, 11, 0, 1, 1));
        }
        Terser.set(out, 7, 0, 1, 1, now());
        Terser.set(out, 11, 0, 1, 1, nextControlId());
        return PipeParser.encode(out, encoding) + '\r';
    }

    private String trailer(String name, int count, EncodingCharacters encoding) throws HL7Exception {
        Segment out = newSegment(name);
        Terser.set(out, 1, 0, 1, 1, Integer.toString(count));
        return PipeParser.encode(out, encoding) + '\r';
    }

    /** The header read into HAPI's generic model, or empty if HAPI cannot read it. */
    private Optional<Message> parsed(MshHeader header, String name) {
        try {
            Message message = emptyMessage(name);
            parser.parse((Segment) message.get(name), header.segment(), encodingOf(header));
            return Optional.of(message);
        } catch (HL7Exception | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A header with standard delimiters and nothing of the incoming one but a plainly printable control id. */
    private Message sanitised(Optional<MshHeader> header) {
        try {
            Message message = emptyMessage("MSH");
            Segment msh = (Segment) message.get("MSH");
            Terser.set(msh, 1, 0, 1, 1, String.valueOf(STANDARD.getFieldSeparator()));
            Terser.set(msh, 2, 0, 1, 1, STANDARD_ENCODING);
            Terser.set(msh, 10, 0, 1, 1, header.map(MshHeader::controlId)
                    .filter(id -> PRINTABLE_ID.matcher(id).matches()).orElse(""));
            return message;
        } catch (HL7Exception e) {
            throw new IllegalStateException("TB-HL7-040 could not build a header: " + e.getClass().getName(), e);
        }
    }

    private Message emptyMessage(String headerName) throws HL7Exception {
        GenericMessage message = new GenericMessage.UnknownVersion(factory);
        message.setParser(parser);
        if (!headerName.equals("MSH")) {
            message.addNonstandardSegment(headerName);
        }
        return message;
    }

    private Segment newSegment(String name) throws HL7Exception {
        return (Segment) emptyMessage(name).get(name);
    }

    /**
     * Addresses the answer to the sender: fields 3 to 6 (application and facility, each a namespace, a universal
     * id and its type) swapped. HAPI's generateACK copies the namespace only.
     */
    private static void swapSenderAndReceiver(Segment in, Segment out) throws HL7Exception {
        int[][] pairs = {{3, 5}, {4, 6}, {5, 3}, {6, 4}};
        for (int[] pair : pairs) {
            for (int component = 1; component <= 3; component++) {
                Terser.set(out, pair[0], 0, component, 1, Terser.get(in, pair[1], 0, component, 1));
            }
        }
    }

    private static EncodingCharacters encodingOf(MshHeader header) {
        return new EncodingCharacters(header.fieldSeparator(), header.encodingCharacters());
    }

    private String now() {
        return ZonedDateTime.now(clock).format(TIMESTAMP);
    }

    private String nextControlId() {
        return "TB" + Long.toString(sequence.incrementAndGet(), 36).toUpperCase(Locale.ROOT);
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
}
