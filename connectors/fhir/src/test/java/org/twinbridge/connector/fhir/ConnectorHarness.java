package org.twinbridge.connector.fhir;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.sdk.connector.DeadLetter;

/**
 * One FHIR connector running as the node runs it: the routes from {@link FhirSourceConnector#routes} in a
 * real Camel context, a {@link RecordingJournal} behind {@value #JOURNAL_URI}, and {@link InMemoryCheckpoints}.
 * Every finished poll (one timer exchange) is recorded as a {@link Poll}.
 */
final class ConnectorHarness implements AutoCloseable {

    static final String JOURNAL_URI = "direct:journal";
    static final String DEAD_LETTER_URI = "direct:dead-letters";

    /**
     * One finished poll.
     *
     * @param pagesJournalled how many pages the journal held when the poll ended
     * @param failure         what the poll threw, or null if it succeeded
     */
    record Poll(int pagesJournalled, Throwable failure) {
    }

    private final String connectorId;
    private final ConnectorSettings settings;
    private final RecordingJournal journal = new RecordingJournal();
    private final InMemoryCheckpoints checkpoints = new InMemoryCheckpoints();
    private final List<Poll> polls = new CopyOnWriteArrayList<>();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private Timing timing = Timing.system();
    private volatile boolean deadLetterStoreDown;

    private ConnectorHarness(String connectorId, Map<String, ?> settings) {
        this.connectorId = connectorId;
        this.settings = new ConnectorSettings(settings);
    }

    /** A harness that is not polling yet, so that checkpoints and the journal can be prepared. */
    static ConnectorHarness create(String connectorId, Map<String, ?> settings) {
        return new ConnectorHarness(connectorId, settings);
    }

    /** Runs the connector on this timing instead of the system's. */
    ConnectorHarness withTiming(Timing timing) {
        this.timing = timing;
        return this;
    }

    /** Makes every dead-letter commit fail, as when the node's database is down. */
    ConnectorHarness withoutDeadLetterStore() {
        deadLetterStoreDown = true;
        return this;
    }

    /** Builds the connector's routes and starts Camel; the first poll starts at once. */
    ConnectorHarness start() throws Exception {
        camel.getShutdownStrategy().setTimeout(10);
        camel.getManagementStrategy().addEventNotifier(new PollRecorder("connector-" + connectorId));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(JOURNAL_URI).routeId("journal").process(journal);
                from(DEAD_LETTER_URI).routeId("dead-letters")
                        .process(ex -> {
                            if (deadLetterStoreDown) {
                                throw new IllegalStateException("dead-letter store unavailable");
                            }
                            deadLetters.add(ex.getMessage().getMandatoryBody(DeadLetter.class));
                        });
            }
        });
        camel.addRoutes(routes());
        camel.start();
        return this;
    }

    /** The connector's routes for these settings, as the node would ask for them. */
    private RoutesBuilder routes() throws ConnectorConfigException {
        return new FhirSourceConnector(timing).routes(
                new FixedConnectorContext(connectorId, settings, JOURNAL_URI, checkpoints, DEAD_LETTER_URI));
    }

    RecordingJournal journal() {
        return journal;
    }

    /** Every dead letter the connector committed, oldest first. */
    List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    InMemoryCheckpoints checkpoints() {
        return checkpoints;
    }

    /** Waits until at least {@code count} polls have finished, and returns all finished so far. */
    List<Poll> awaitPolls(int count) {
        awaitUntil(count + " finished polls", () -> polls.size() >= count);
        return List.copyOf(polls);
    }

    /** Waits for the first failed poll and returns what it threw. */
    Throwable awaitFailure() {
        awaitUntil("a failed poll", () -> polls.stream().anyMatch(p -> p.failure() != null));
        return polls.stream().filter(p -> p.failure() != null).findFirst().orElseThrow().failure();
    }

    /** Polls {@code condition} until it holds; fails the test if it does not within a generous bound. */
    static void awaitUntil(String what, BooleanSupplier condition) {
        org.twinbridge.testkit.Await.until(what, condition::getAsBoolean);
    }

    @Override
    public void close() {
        camel.stop();
    }

    // Runs on the timer thread when its exchange is done, before the next poll can start, so the journal's
    // page count at this moment is exactly what this poll and the earlier ones journalled.
    private final class PollRecorder extends EventNotifierSupport {
        private final String routeId;

        PollRecorder(String routeId) {
            this.routeId = routeId;
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeEvent e && routeId.equals(e.getExchange().getFromRouteId())) {
                if (event instanceof CamelEvent.ExchangeFailedEvent) {
                    polls.add(new Poll(journal.pages().size(), e.getExchange().getException()));
                } else if (event instanceof CamelEvent.ExchangeCompletedEvent) {
                    polls.add(new Poll(journal.pages().size(), null));
                }
            }
        }
    }
}
