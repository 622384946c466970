package org.twinbridge.connector.file;

import java.util.Set;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.SourceConnector;

/**
 * Watches a directory for FHIR R4 JSON files (a resource or a Bundle, {@code *.json}) and NDJSON files
 * ({@code *.ndjson}, one resource per line) with camel-file. A file is read only once its size and modification
 * time have settled (so a file still being written is left alone), journalled as one transaction, and only then
 * moved to {@code done/}. A file that can never be read (too large, not JSON, not FHIR) goes to {@code failed/}
 * with a {@code <name>.reason} file and a dead-letter entry, neither holding its content. If the journal is
 * unavailable the file stays where it is and is tried again at the next scan. Records get content-based ids
 * unless the resource has its own, so a file dropped twice is journalled once.
 */
public final class FileSourceConnector implements SourceConnector {

    /** Where processed files go, inside the watched directory. */
    static final String DONE = "done";
    static final String FAILED = "failed";

    @Override
    public String type() {
        return "file";
    }

    @Override
    public Set<String> settingKeys() {
        return FileSourceSettings.KEYS;
    }

    @Override
    public RoutesBuilder routes(ConnectorContext context) throws ConnectorConfigException {
        FileSourceSettings settings = FileSourceSettings.from(context);
        FileDropProcessor processor = new FileDropProcessor(context, settings);
        String uri = "file:" + settings.dir()
                + "?include=(?i).*\\.(json|ndjson)$"
                + "&exclude=^\\..*"
                + "&delay=" + settings.poll().toMillis()
                + "&readLock=changed&readLockCheckInterval=" + Math.max(100, settings.settleTime().toMillis() / 2)
                + "&readLockMinAge=" + settings.settleTime().toMillis()
                + "&readLockTimeout=" + Math.max(10_000, settings.settleTime().toMillis() * 4)
                + "&sortBy=file:modified"
                + "&move=${header." + FileDropProcessor.TARGET_HEADER + "}/${file:name}";
        return new RouteBuilder() {
            @Override
            public void configure() {
                // No error handler: the processor reports failures itself, without file names or content.
                from(uri).routeId("connector-" + context.connectorId()).errorHandler(noErrorHandler())
                        .process(processor);
            }
        };
    }
}
