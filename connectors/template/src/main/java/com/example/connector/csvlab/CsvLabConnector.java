package com.example.connector.csvlab;

import java.util.Set;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.pf4j.Extension;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.SourceConnector;

/**
 * Lab results that a laboratory system drops as CSV files on a share, turned into FHIR R4 Observations.
 *
 * <p>Watches {@code dir} for {@code *.csv} files with camel-file. A file is read once its size and modification time
 * have settled, every row becomes one Observation ({@link CsvResults}), and the whole file is journalled in one
 * call; only after that commit is it moved to {@code done/}. A file that can never be read (no header, a missing
 * column, a bad row) goes to {@code failed/} with a {@code <name>.reason} file and a dead letter, neither of which
 * holds a value from the file. If the journal is unavailable the file stays where it is and is tried again at the
 * next scan. Record ids come from {@code result_id} or the row's content, so a file dropped twice is journalled once.
 *
 * <p>This class is the pf4j extension the node finds through {@code META-INF/extensions.idx}; {@link #type()} must be
 * listed in the jar manifest's {@code Connector-Types}, or the node refuses the jar.
 */
@Extension
public final class CsvLabConnector implements SourceConnector {

    /** The {@code type} operators write in the node's {@code connectors:} section. */
    public static final String TYPE = "csv-lab";
    static final String DONE = "done";
    static final String FAILED = "failed";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> settingKeys() {
        return CsvLabSettings.KEYS;
    }

    @Override
    public RoutesBuilder routes(ConnectorContext context) throws ConnectorConfigException {
        CsvLabSettings settings = CsvLabSettings.from(context);
        CsvLabProcessor processor = new CsvLabProcessor(context, settings);
        String uri = "file:" + settings.dir()
                + "?include=(?i).*\\.csv$"
                + "&exclude=^\\..*"
                + "&delay=" + settings.poll().toMillis()
                + "&readLock=changed&readLockCheckInterval=" + Math.max(100, settings.settleTime().toMillis() / 2)
                + "&readLockMinAge=" + settings.settleTime().toMillis()
                + "&readLockTimeout=" + Math.max(10_000, settings.settleTime().toMillis() * 4)
                + "&sortBy=file:modified"
                + "&move=${header." + CsvLabProcessor.TARGET_HEADER + "}/${file:name}";
        return new Routes(uri, "connector-" + context.connectorId(), processor);
    }

    /** One route; no error handler, because the processor reports failures itself, without file names or values. */
    private static final class Routes extends RouteBuilder {

        private final String uri;
        private final String routeId;
        private final CsvLabProcessor processor;

        Routes(String uri, String routeId, CsvLabProcessor processor) {
            this.uri = uri;
            this.routeId = routeId;
            this.processor = processor;
        }

        @Override
        public void configure() {
            from(uri).routeId(routeId).errorHandler(noErrorHandler()).process(processor);
        }
    }
}
