package com.example.connector.csvlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Reads one dropped CSV file, journals its records, and decides where camel-file moves it: {@code done/} after the
 * commit, {@code failed/} (with a reason file and a dead letter) when the file can never be mapped. A failed commit
 * fails the exchange, which leaves the file in place for the next scan. Logs name neither files (their names can
 * identify patients) nor values.
 */
final class CsvLabProcessor implements Processor {

    static final String TARGET_HEADER = "CsvLabTarget";
    private static final Logger LOG = LoggerFactory.getLogger(CsvLabProcessor.class);

    private final ConnectorContext context;
    private final CsvLabSettings settings;
    private volatile ProducerTemplate template;

    CsvLabProcessor(ConnectorContext context, CsvLabSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (template == null) {
            template = exchange.getContext().createProducerTemplate();
        }
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        long length = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, 0L, Long.class);
        context.monitor().received(1);
        byte[] content = new byte[0];
        List<CanonicalRecord> records;
        try {
            if (length > settings.maxBytes()) {
                throw new CsvResults.CsvException("TB-CSVLAB-001", "the file is " + length + " bytes, more than "
                        + "max-size-kb allows (" + settings.maxBytes() + " bytes)");
            }
            content = exchange.getMessage().getMandatoryBody(byte[].class);
            records = CsvResults.map(context.connectorId(), settings.patientSystem(), content);
        } catch (CsvResults.CsvException e) {
            reject(exchange, name, content, e);
            return;
        }
        List<CanonicalRecord> batch = records;
        Exchange result = template.send(context.journalUri(), ex -> ex.getMessage().setBody(batch));
        if (result.getException() != null) {
            // The exception's text is the node's; only its class is logged, in case it ever quotes content.
            LOG.warn("TB-CSVLAB-020 connector {}: a CSV file was not journalled ({}); it stays in place and is tried "
                    + "again at the next scan", context.connectorId(), result.getException().getClass().getSimpleName());
            context.monitor().failed("journal-failed");
            throw new NotJournalled("TB-CSVLAB-020 connector " + context.connectorId() + ": file not journalled");
        }
        Long modified = exchange.getMessage().getHeader(Exchange.FILE_LAST_MODIFIED, Long.class);
        if (modified != null) {
            context.monitor().lag(Duration.between(Instant.ofEpochMilli(modified), Instant.now()));
        }
        exchange.getMessage().setHeader(TARGET_HEADER, CsvLabConnector.DONE);
        LOG.debug("connector {}: a CSV file was journalled ({} rows)", context.connectorId(), records.size());
    }

    private void reject(Exchange exchange, String name, byte[] content, CsvResults.CsvException e) {
        Path failedDir = settings.dir().resolve(CsvLabConnector.FAILED);
        try {
            Files.createDirectories(failedDir);
            Files.writeString(failedDir.resolve(name + ".reason"), e.code() + " " + e.getMessage()
                    + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException io) {
            context.monitor().failed("io-error");
            throw new NotJournalled("TB-CSVLAB-020 connector " + context.connectorId() + ": reason file not written");
        }
        // The dead letter keeps the bytes (the node encrypts them) and the file name as its origin (the node hashes
        // it), so each rejected file is its own dead letter.
        Exchange result = template.send(context.deadLetterUri(), ex -> ex.getMessage().setBody(
                new DeadLetter(context.connectorId(), e.code(), e.getMessage(), content, "file:" + name)));
        if (result.getException() != null) {
            context.monitor().failed("journal-failed");
            throw new NotJournalled("TB-CSVLAB-020 connector " + context.connectorId() + ": dead letter not recorded");
        }
        exchange.getMessage().setHeader(TARGET_HEADER, CsvLabConnector.FAILED);
        context.monitor().rejected(e.code());
        LOG.warn("{} connector {}: a CSV file was rejected ({}) and moved to failed/", e.code(), context.connectorId(),
                e.getMessage());
    }

    /** Fails the exchange so that camel-file leaves the file in place; names neither the file nor its content. */
    static final class NotJournalled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotJournalled(String message) {
            super(message, null, false, false);
        }
    }
}
