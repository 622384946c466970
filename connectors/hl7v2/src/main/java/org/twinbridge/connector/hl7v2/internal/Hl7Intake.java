package org.twinbridge.connector.hl7v2.internal;

import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.connector.hl7v2.internal.mapping.MappingException;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageMapper;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageTimes;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageType;
import org.twinbridge.connector.hl7v2.internal.wire.AckWriter;
import org.twinbridge.connector.hl7v2.internal.wire.Frame;
import org.twinbridge.connector.hl7v2.internal.wire.MshHeader;
import org.twinbridge.connector.hl7v2.internal.wire.Rejection;
import org.twinbridge.sdk.connector.ConnectorMonitor;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * What the connector does with one MLLP frame, independent of Camel: decode it, split a batch into messages,
 * and for each message check version, sender and type, map it, journal its records and only then acknowledge it
 * AA. Everything else gets AE or AR with an ERR segment. Logs carry codes, types, versions and control ids,
 * never content. Thread-safe; frames from several connections may be handled at once.
 */
public final class Hl7Intake {

    /** Commits one message's records durably before returning; throws if they were not committed. */
    @FunctionalInterface
    public interface Journal {
        /** @return how many of the records were new (the rest were already journalled) */
        int commit(List<CanonicalRecord> records) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Hl7Intake.class);
    private static final Pattern ACCEPTED_VERSION = Pattern.compile("2\\.[3-8](\\.\\d{1,2})?");
    private static final Pattern PRINTABLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private final String connectorId;
    private final Set<MessageType> types;
    private final SenderAllowList senders;
    private final Charset fallbackCharset;
    private final MessageMapper mapper;
    private final AckWriter acks;
    private final ConnectorMonitor monitor;
    private final Clock clock;

    /**
     * @param monitor where each message's receipt, rejection or failed commit and the connector's lag are reported;
     *                the lag is the time from MSH-7 (when the sender says it sent the message) to its commit, read
     *                in {@code clock}'s zone when MSH-7 has no offset
     */
    public Hl7Intake(String connectorId, Set<MessageType> types, SenderAllowList senders, Charset fallbackCharset,
            MessageMapper mapper, AckWriter acks, ConnectorMonitor monitor, Clock clock) {
        this.connectorId = connectorId;
        this.types = Set.copyOf(types);
        this.senders = senders;
        this.fallbackCharset = fallbackCharset;
        this.mapper = mapper;
        this.acks = acks;
        this.monitor = monitor;
        this.clock = clock;
    }

    /** Handles one frame and returns the acknowledgement to send back, encoded like the frame. */
    public byte[] handle(byte[] payload, Journal journal) {
        Frame frame = Frame.of(payload, fallbackCharset);
        String response;
        if (frame.leadingJunk()) {
            monitor.received(1);
            monitor.rejected(Rejection.notHl7().code());
            warn(Optional.empty(), Rejection.notHl7());
            response = acks.ack(Optional.empty(), Optional.of(Rejection.notHl7()));
        } else if (frame.isBatch()) {
            List<String> answers = new ArrayList<>();
            for (String message : frame.messages()) {
                answers.add(message(message, journal));
            }
            LOG.debug("connector '{}' answered a batch of {} message(s)", connectorId, answers.size());
            response = acks.batchAck(frame.fileHeader(), frame.batchHeader(), answers);
        } else if (frame.messages().size() > 1) {
            Optional<MshHeader> first = MshHeader.read(frame.messages().get(0));
            Rejection rejection = Rejection.unbatchedMessages(frame.messages().size());
            monitor.received(frame.messages().size());
            monitor.rejected(rejection.code());
            warn(first, rejection);
            response = acks.ack(first, Optional.of(rejection));
        } else {
            response = message(frame.messages().get(0), journal);
        }
        return response.getBytes(frame.charset());
    }

    private String message(String text, Journal journal) {
        monitor.received(1);
        Optional<MshHeader> header = MshHeader.read(text);
        Optional<Rejection> rejection = header.isEmpty() ? Optional.of(Rejection.notHl7()) : check(header.get());
        if (rejection.isEmpty()) {
            rejection = mapAndJournal(header.get(), text, journal);
        }
        rejection.ifPresent(r -> {
            warn(header, r);
            report(r);
        });
        return acks.ack(header, rejection);
    }

    /** The checks that need only the header, in the order HL7 lists them: type, version, then our own. */
    private Optional<Rejection> check(MshHeader header) {
        if (header.messageCode().isEmpty()) {
            return Optional.of(Rejection.missingHeaderField(9, "message type"));
        }
        if (!ACCEPTED_VERSION.matcher(header.version()).matches()) {
            return Optional.of(Rejection.unsupportedVersion(header.printableVersion()));
        }
        if (!senders.allows(header.sendingApplication(), header.sendingFacility())) {
            return Optional.of(Rejection.unauthorisedSender());
        }
        Optional<MessageType> type = MessageType.of(header.messageCode(), header.triggerEvent())
                .filter(types::contains);
        if (type.isEmpty()) {
            String accepted = types.stream().map(MessageType::spelling).sorted().collect(Collectors.joining(", "))
                    .replace('^', ' ');
            return Optional.of(types.stream().anyMatch(t -> t.code().equalsIgnoreCase(header.messageCode()))
                    ? Rejection.unsupportedEvent(header.printableType(), accepted)
                    : Rejection.unsupportedType(header.printableType(), accepted));
        }
        if (!header.hasValidDelimiters()) {
            return Optional.of(Rejection.badDelimiters());
        }
        if (header.controlId().isEmpty()) {
            return Optional.of(Rejection.missingHeaderField(10, "message control id"));
        }
        return Optional.empty();
    }

    private Optional<Rejection> mapAndJournal(MshHeader header, String text, Journal journal) {
        MessageType type = MessageType.of(header.messageCode(), header.triggerEvent()).orElseThrow();
        List<CanonicalRecord> records;
        try {
            records = mapper.map(header, text, type);
        } catch (MappingException e) {
            return Optional.of(e.rejection());
        } catch (RuntimeException e) {
            StackTraceElement where = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            LOG.error("TB-HL7-040 connector '{}' failed to map {} control id {}: {} at {}", connectorId,
                    header.printableType(), printableId(header), e.getClass().getName(), where);
            return Optional.of(Rejection.mappingFailed());
        }
        try {
            int added = journal.commit(records);
            monitor.succeeded();
            MessageTimes.sentAt(header, clock.getZone())
                    .ifPresent(sent -> monitor.lag(Duration.between(sent, clock.instant())));
            LOG.debug("connector '{}' accepted {} v{} control id {}: {} record(s), {} new", connectorId,
                    header.printableType(), header.printableVersion(), printableId(header), records.size(), added);
            return Optional.empty();
        } catch (Exception e) {
            // The cause's message may quote record content; only its type is reported.
            LOG.warn("TB-HL7-050 connector '{}' could not journal {} control id {}: {}", connectorId,
                    header.printableType(), printableId(header), rootType(e));
            return Optional.of(Rejection.notStored());
        }
    }

    /** A message the node could not store is the connector failing; any other rejection is the input's fault. */
    private void report(Rejection r) {
        if (r.code().equals(Rejection.notStored().code())) {
            monitor.failed(r.code());
        } else {
            monitor.rejected(r.code());
        }
    }

    private void warn(Optional<MshHeader> header, Rejection r) {
        LOG.warn("{} connector '{}' answered {} to {} v{} control id {}: {}", r.code(), connectorId, r.ack(),
                header.map(MshHeader::printableType).orElse("(no header)"),
                header.map(MshHeader::printableVersion).orElse("?"),
                header.map(Hl7Intake::printableId).orElse("?"), r.message());
    }

    private static String printableId(MshHeader header) {
        String id = header.controlId();
        return PRINTABLE_ID.matcher(id).matches() ? id : "(unprintable)";
    }

    private static String rootType(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getClass().getName() : e.getClass().getName() + " caused by " + root.getClass().getName();
    }
}
