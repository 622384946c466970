package org.twinbridge.connector.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.client.exceptions.NonFhirResponseException;
import ca.uhn.fhir.rest.gclient.IQuery;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * One poll of every configured resource type. Searches {@code _lastUpdated=ge<watermark>}: {@code ge}, not
 * {@code gt}, because several resources can share a timestamp across a page boundary; the boundary records
 * that come back again are dropped by the journal's idempotency. The watermark advances only after every page
 * of the search was journalled, so a crash or a failed page re-reads rather than skips.
 */
final class FhirPoller implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FhirPoller.class);
    private final ConnectorContext context;
    private final FhirSourceSettings settings;
    private final FhirContext fhir;
    private volatile IGenericClient client;
    private volatile ProducerTemplate journal;
    private volatile Instant lastSuccessfulPollStart;

    FhirPoller(ConnectorContext context, FhirSourceSettings settings) {
        this.context = context;
        this.settings = settings;
        this.fhir = FhirContext.forR4Cached();
    }

    @Override
    public void process(Exchange exchange) {
        if (journal == null) {
            journal = exchange.getContext().createProducerTemplate();
        }
        Instant started = Instant.now();
        int fetched = 0;
        for (String type : settings.resources()) {
            try {
                int polled = pollType(type);
                context.monitor().received(polled);
                fetched += polled;
            } catch (FhirPollException e) {
                context.monitor().failed("journal-failed");
                throw e;
            } catch (RuntimeException e) {
                context.monitor().failed(kindCode(kindOf(e)));
                throw new FhirPollException(context.connectorId(), type, kindOf(e), e);
            }
        }
        exchange.getMessage().setHeader("TwinBridgeFetched", fetched);
        // The lag is the longest a change on the server can have waited before this poll journalled it: since the
        // start of the previous successful poll (or of this one, for the first).
        Instant since = lastSuccessfulPollStart == null ? started : lastSuccessfulPollStart;
        context.monitor().succeeded();
        context.monitor().lag(java.time.Duration.between(since, Instant.now()));
        lastSuccessfulPollStart = started;
    }

    private int pollType(String type) {
        String checkpoint = "watermark:" + type;
        Optional<Instant> watermark = context.checkpoints().get(checkpoint).map(Instant::parse);
        IQuery<Bundle> query = client().search().forResource(type).count(settings.pageSize())
                .returnBundle(Bundle.class);
        if (watermark.isPresent()) {
            query = query.lastUpdated(new ca.uhn.fhir.rest.param.DateRangeParam()
                    .setLowerBound(new ca.uhn.fhir.rest.param.DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS,
                            Date.from(watermark.get()))));
        }
        Bundle page = query.execute();
        int fetched = 0;
        Instant newest = watermark.orElse(Instant.EPOCH);
        while (page != null) {
            List<CanonicalRecord> records = new ArrayList<>();
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                Resource resource = entry.getResource();
                if (resource == null || !type.equals(resource.fhirType())) {
                    continue; // included or OperationOutcome entries are not records of this search
                }
                String sourceId = resource.getIdElement().toUnqualifiedVersionless().getValue();
                records.add(CanonicalRecord.of(context.connectorId(), sourceId, resource));
                if (resource.getMeta().hasLastUpdated()) {
                    Instant updated = resource.getMeta().getLastUpdated().toInstant();
                    newest = updated.isAfter(newest) ? updated : newest;
                }
            }
            if (!records.isEmpty()) {
                journalPage(records);
                fetched += records.size();
            }
            page = page.getLink(Bundle.LINK_NEXT) == null ? null : client().loadPage().next(page).execute();
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

    private void journalPage(List<CanonicalRecord> records) {
        Exchange result = journal.send(context.journalUri(), ex -> ex.getMessage().setBody(records));
        if (result.getException() != null) {
            throw new FhirPollException(context.connectorId(), records.get(0).resource().fhirType(),
                    "journal write failed", result.getException());
        }
    }

    // HAPI reports connection failures and unparseable bodies as FhirClientConnectionException, which claims
    // HTTP 500, and a non-FHIR 2xx body as NonFhirResponseException; these are told apart before a status is
    // trusted, so that the operator looks at the network, the server's output or its errors as appropriate.
    private static String kindOf(RuntimeException e) {
        if (e instanceof FhirClientConnectionException) {
            return causedBy(e, DataFormatException.class) ? "malformed response" : "connection failed";
        }
        if (e instanceof NonFhirResponseException nonFhir) {
            return "non-FHIR response, HTTP " + nonFhir.getStatusCode();
        }
        if (e instanceof BaseServerResponseException http) {
            return "HTTP " + http.getStatusCode();
        }
        if (e instanceof DataFormatException) {
            return "malformed response";
        }
        return e.getClass().getSimpleName();
    }

    /** The failure's kind as a health code, e.g. {@code http-503}, {@code connection-failed}. */
    static String kindCode(String kind) {
        String code = kind.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return code.isEmpty() ? "unknown" : code.substring(0, Math.min(64, code.length()));
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private IGenericClient client() {
        if (client == null) {
            fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
            fhir.getRestfulClientFactory().setConnectTimeout(10_000);
            fhir.getRestfulClientFactory().setSocketTimeout(30_000);
            IGenericClient created = fhir.newRestfulGenericClient(settings.baseUrl());
            settings.auth().interceptor().ifPresent(created::registerInterceptor);
            client = created;
        }
        return client;
    }
}
