package org.twinbridge.connector.file;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.connector.support.FhirPayloads;
import org.twinbridge.connector.support.PayloadException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Reads one dropped file, journals its records, and decides where camel-file moves it: {@code done/} after the
 * commit, {@code failed/} (with a reason file and a dead letter) when the file can never be read. A failed commit
 * marks the exchange for rollback, which leaves the file in place for the next scan. Logs name neither files
 * (their names can identify patients) nor content.
 */
final class FileDropProcessor implements Processor {

    static final String TARGET_HEADER = "TwinBridgeFileTarget";
    private static final Logger LOG = LoggerFactory.getLogger(FileDropProcessor.class);

    private final ConnectorContext context;
    private final FileSourceSettings settings;
    private final FhirPayloads payloads = new FhirPayloads(FhirContext.forR4Cached());
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile ProducerTemplate template;

    FileDropProcessor(ConnectorContext context, FileSourceSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    @Override
    public void process(Exchange exchange) {
        if (template == null) {
            template = exchange.getContext().createProducerTemplate();
        }
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        long length = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, 0L, Long.class);
        context.monitor().received(1);
        List<CanonicalRecord> records;
        byte[] content = new byte[0];
        try {
            if (length > settings.maxSize()) {
                throw new PayloadException("TB-FILE-001", "the file is " + length + " bytes, more than max-size ("
                        + settings.maxSize() + ")");
            }
            content = exchange.getMessage().getMandatoryBody(byte[].class);
            if (content.length == 0) {
                throw new PayloadException("TB-FILE-002", "the file is empty");
            }
            Utf8.check(content);
            FhirPayloads.Parsed parsed = name.toLowerCase(Locale.ROOT).endsWith(".ndjson")
                    ? payloads.parseNdjson(content) : payloads.parseJson(content);
            records = parsed.records(context.connectorId());
            if (records.isEmpty()) {
                throw new PayloadException("TB-FILE-003", "the file holds no resources (an empty Bundle?)");
            }
        } catch (PayloadException e) {
            reject(exchange, name, content, e);
            return;
        } catch (Exception e) {
            // Anything else (an unreadable file, a parser failure nobody foresaw) would roll the exchange back and
            // leave the file in place to fail again at every scan: it goes to failed/ like any other bad file.
            // The exception's text may quote content, so only its class is kept.
            reject(exchange, name, content, new PayloadException("TB-FILE-004", "the file could not be read or "
                    + "parsed (" + e.getClass().getSimpleName() + "); it must be a readable FHIR R4 JSON or NDJSON "
                    + "file in UTF-8"));
            return;
        }
        Exchange result = template.send(context.journalUri(), ex -> ex.getMessage().setBody(records));
        if (result.getException() != null) {
            LOG.warn("TB-FILE-020 connector {}: a dropped file was not journalled ({}); it stays in place and is "
                    + "tried again at the next scan", context.connectorId(),
                    result.getException().getClass().getSimpleName());
            context.monitor().failed("journal-failed");
            throw new NotJournalled("TB-FILE-020 connector " + context.connectorId() + ": file not journalled");
        }
        // The lag is how long the file waited in the drop folder: from its last change to its commit.
        Long modified = exchange.getMessage().getHeader(Exchange.FILE_LAST_MODIFIED, Long.class);
        if (modified != null) {
            context.monitor().lag(Duration.between(Instant.ofEpochMilli(modified), Instant.now()));
        }
        exchange.getMessage().setHeader(TARGET_HEADER, FileSourceConnector.DONE);
        done.incrementAndGet();
        LOG.debug("connector {}: a dropped file was journalled ({} records)", context.connectorId(), records.size());
    }

    private void reject(Exchange exchange, String name, byte[] content, PayloadException e) {
        Path failedDir = settings.dir().resolve(FileSourceConnector.FAILED);
        try {
            Files.createDirectories(failedDir);
            Files.writeString(failedDir.resolve(name + ".reason"), e.code() + " " + e.reason() + System.lineSeparator()
                    + "rejected at " + Instant.now() + " by connector " + context.connectorId()
                    + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException io) {
            LOG.warn("TB-FILE-021 connector {}: cannot write a reason file ({}); the file stays in place",
                    context.connectorId(), io.getClass().getSimpleName());
            context.monitor().failed("io-error");
            throw new NotJournalled("TB-FILE-021 connector " + context.connectorId() + ": reason file not written");
        }
        // The dead letter carries the bytes read (encrypted at rest by the node) and the file's name as its origin,
        // so that each rejected file is its own dead letter, even one too large to read.
        Exchange result = template.send(context.deadLetterUri(), ex -> ex.getMessage().setBody(
                new DeadLetter(context.connectorId(), e.code(), e.reason(), content, "file:" + name)));
        if (result.getException() != null) {
            LOG.warn("TB-FILE-022 connector {}: a rejected file's dead letter was not recorded ({}); it stays in "
                    + "place and is tried again", context.connectorId(), result.getException().getClass().getSimpleName());
            context.monitor().failed("journal-failed");
            throw new NotJournalled("TB-FILE-022 connector " + context.connectorId() + ": dead letter not recorded");
        }
        exchange.getMessage().setHeader(TARGET_HEADER, FileSourceConnector.FAILED);
        failed.incrementAndGet();
        context.monitor().rejected(e.code());
        LOG.warn("TB-FILE-030 connector {}: a dropped file was rejected ({}) and moved to failed/", context.connectorId(),
                e.code());
    }

    /** Fails the exchange so that camel-file leaves the file in place; names neither the file nor its content. */
    static final class NotJournalled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotJournalled(String message) {
            super(message, null, false, false);
        }
    }

    long done() {
        return done.get();
    }

    long failed() {
        return failed.get();
    }
}
