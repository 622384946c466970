package org.twinbridge.connector.fhir;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * One poll of every configured resource type. Searches {@code _lastUpdated=ge<watermark>}: {@code ge}, not
 * {@code gt}, because several resources can share a timestamp across a page boundary; the boundary records
 * that come back again are dropped by the journal's idempotency. The watermark advances only after every page
 * of the search was journalled, so a crash or a failed page re-reads rather than skips.
 *
 * <p>Faults: each request is retried by {@link FhirHttp}; when it still fails, the poll fails with a
 * {@link FhirPollException} naming the {@link FhirErrorKind}, and the next poll starts again from the same
 * watermark. A body that can never become records is dead-lettered (committed before anything moves on): an
 * invalid entry costs only itself, an unreadable page stops that type's search for this poll, without moving its
 * watermark, and the poll goes on with the next type.
 */
final class FhirPoller implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FhirPoller.class);
    private final ConnectorContext context;
    private final FhirSourceSettings settings;
    private final FhirClient client;
    private final SearchPageReader reader;
    private final Optional<BulkExport> bulkExport;
    private volatile ProducerTemplate template;
    private volatile Instant lastSuccessfulPollStart;

    FhirPoller(ConnectorContext context, FhirSourceSettings settings, FhirClient client,
            Optional<BulkExport> bulkExport) {
        this.context = context;
        this.settings = settings;
        this.client = client;
        this.reader = new SearchPageReader(context.connectorId());
        this.bulkExport = bulkExport;
    }

    @Override
    public void process(Exchange exchange) {
        if (template == null) {
            template = exchange.getContext().createProducerTemplate();
        }
        Instant started = Instant.now();
        try {
            exchange.getMessage().setHeader("TwinBridgeFetched", poll(new Sink(context, template)));
        } catch (FhirPollException e) {
            context.monitor().failed(e.kind().code());
            throw e;
        }
        // The lag is the longest a change on the server can have waited before this poll journalled it: since the
        // start of the previous successful poll (or of this one, for the first).
        Instant since = lastSuccessfulPollStart == null ? started : lastSuccessfulPollStart;
        context.monitor().succeeded();
        context.monitor().lag(Duration.between(since, Instant.now()));
        lastSuccessfulPollStart = started;
    }

    private int poll(Sink sink) {
        if (bulkExport.isPresent()) {
            try {
                if (!bulkExport.get().run(sink)) {
                    return 0; // the first load is still being exported; incremental polls start once it is journalled
                }
            } catch (FhirCallException e) {
                throw new FhirPollException(context.connectorId(), "bulk export", e.kind(), e.getMessage(), e);
            }
        }
        int fetched = 0;
        for (String type : settings.resources()) {
            try {
                int polled = pollType(type, sink);
                context.monitor().received(polled);
                fetched += polled;
            } catch (FhirCallException e) {
                throw new FhirPollException(context.connectorId(), "polling " + type, e.kind(), e.getMessage(), e);
            }
        }
        return fetched;
    }

    private int pollType(String type, Sink sink) throws FhirCallException {
        String checkpoint = Watermarks.name(type);
        Optional<Instant> watermark = context.checkpoints().get(checkpoint).map(Instant::parse);
        FhirClient.RawPage answer = client.search(type, watermark, settings.pageSize());
        int fetched = 0;
        Instant newest = watermark.orElse(Instant.EPOCH);
        while (answer != null) {
            SearchPageReader.Result result = reader.read(type, answer.body(), answer.contentType());
            if (result instanceof SearchPageReader.Result.Unreadable unreadable) {
                sink.deadLetter(unreadable.letter(), type);
                LOG.warn("TB-CONN-FHIR-002 connector {}: a {} search page was dead-lettered ({} {}); the {} "
                        + "watermark stays, and the next poll reads the search again", context.connectorId(), type,
                        FhirErrorKind.MALFORMED_BODY, unreadable.letter().reasonCode(), type);
                return fetched;
            }
            SearchPageReader.Result.Page page = (SearchPageReader.Result.Page) result;
            for (DeadLetter rejected : page.rejected()) {
                sink.deadLetter(rejected, type);
            }
            if (!page.rejected().isEmpty()) {
                LOG.warn("TB-CONN-FHIR-003 connector {}: {} entries of a {} search page were dead-lettered ({})",
                        context.connectorId(), page.rejected().size(), type, FhirErrorKind.MALFORMED_BODY);
            }
            if (!page.records().isEmpty()) {
                sink.journal(page.records(), type);
                fetched += page.records().size();
            }
            if (page.newest().isPresent() && page.newest().get().isAfter(newest)) {
                newest = page.newest().get();
            }
            answer = page.next().isPresent() ? client.page(type, sameServer(page.next().get(), type).toString())
                    : null;
        }
        // Stored once, after the last page: without _sort a server may page in any order, so a later page can
        // hold records older than an earlier page's newest, and a watermark stored per page could skip them.
        if (newest.isAfter(watermark.orElse(Instant.EPOCH))) {
            context.checkpoints().put(checkpoint, newest.toString());
        }
        if (fetched > 0) {
            LOG.debug("connector {} fetched {} {} resources", context.connectorId(), fetched, type);
        }
        return fetched;
    }

    // A next link is followed only on the configured server, so credentials never go anywhere else.
    private URI sameServer(String link, String type) throws FhirCallException {
        URI base = URI.create(settings.baseUrl());
        URI next;
        try {
            next = URI.create(link);
        } catch (IllegalArgumentException e) {
            throw new FhirCallException(FhirErrorKind.MALFORMED_BODY, "the " + type + " search's next link is not "
                    + "a URL");
        }
        if (!base.getScheme().equalsIgnoreCase(String.valueOf(next.getScheme()))
                || !base.getHost().equalsIgnoreCase(String.valueOf(next.getHost()))
                || base.getPort() != next.getPort()) {
            throw new FhirCallException(FhirErrorKind.REQUEST_REJECTED, "the " + type + " search's next link "
                    + "points to another server; it is not followed");
        }
        return next;
    }

    /** Where records and dead letters go: the node's journal and dead-letter endpoints, synchronously. */
    record Sink(ConnectorContext context, ProducerTemplate template) {

        void journal(List<CanonicalRecord> records, String what) throws FhirCallException {
            Exchange result = template.send(context.journalUri(), ex -> ex.getMessage().setBody(records));
            if (result.getException() != null) {
                throw new FhirCallException(FhirErrorKind.JOURNAL, "journal write of " + what + " records failed",
                        result.getException());
            }
        }

        void deadLetter(DeadLetter letter, String what) throws FhirCallException {
            context.monitor().rejected(FhirErrorKind.MALFORMED_BODY.code());
            Exchange result = template.send(context.deadLetterUri(), ex -> ex.getMessage().setBody(letter));
            if (result.getException() != null) {
                throw new FhirCallException(FhirErrorKind.JOURNAL, "dead-letter write of a " + what
                        + " body failed", result.getException());
            }
        }
    }
}
