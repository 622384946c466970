package org.twinbridge.tools.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.twinbridge.runtime.journal.AppendResult;
import org.twinbridge.runtime.journal.JournalSignal;
import org.twinbridge.sdk.connector.Checkpoints;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Runs a real connector (its own routes, as the node builds them) against the bench's journal: the journal
 * endpoint commits through {@link org.twinbridge.runtime.journal.JdbcJournal#append} and returns only after the
 * commit, exactly as the node's does, and signals dispatch; dead letters are counted.
 */
final class BenchConnectors {

    static final String JOURNAL_URI = "direct:bench-journal";
    static final String DEAD_LETTER_URI = "direct:bench-dead-letters";

    private BenchConnectors() {
    }

    /** The journal and dead-letter endpoints a connector's context names. */
    static RoutesBuilder journalRoutes(BenchPipeline pipeline, JournalSignal signal) {
        return journalRoutes(pipeline, signal, records -> { });
    }

    /** As {@link #journalRoutes(BenchPipeline, JournalSignal)}; {@code committed} sees each append after its commit. */
    static RoutesBuilder journalRoutes(BenchPipeline pipeline, JournalSignal signal,
            Consumer<List<CanonicalRecord>> committed) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(JOURNAL_URI).process(exchange -> {
                    Object body = exchange.getMessage().getBody();
                    List<CanonicalRecord> records = body instanceof CanonicalRecord one ? List.of(one)
                            : ((List<?>) body).stream().map(CanonicalRecord.class::cast).toList();
                    AppendResult result = pipeline.journal.append(records);
                    committed.accept(records);
                    if (result.added() > 0) {
                        signal.committed();
                    }
                    exchange.getMessage().setHeader(ConnectorContext.JOURNALLED_HEADER,
                            result.added() + result.held());
                });
                from(DEAD_LETTER_URI).log("dead letter");
            }
        };
    }

    /** A connector context as the node gives one, with in-memory checkpoints. */
    static ConnectorContext context(String connectorId, Map<String, Object> settings) {
        Map<String, String> stored = new ConcurrentHashMap<>();
        Checkpoints checkpoints = new Checkpoints() {
            @Override
            public Optional<String> get(String name) {
                return Optional.ofNullable(stored.get(name));
            }

            @Override
            public void put(String name, String value) {
                stored.put(name, value);
            }
        };
        return new ConnectorContext() {
            @Override
            public String connectorId() {
                return connectorId;
            }

            @Override
            public String nodeId() {
                return "bench";
            }

            @Override
            public ConnectorSettings settings() {
                return new ConnectorSettings(settings);
            }

            @Override
            public String journalUri() {
                return JOURNAL_URI;
            }

            @Override
            public Checkpoints checkpoints() {
                return checkpoints;
            }

            @Override
            public String deadLetterUri() {
                return DEAD_LETTER_URI;
            }
        };
    }
}
