package org.twinbridge.connector.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestFormatParamStyleEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.impl.GenericClient;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.gclient.IQuery;
import ca.uhn.fhir.rest.param.DateRangeParam;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The connector's FHIR client: HAPI's {@link IGenericClient} (search by {@code _lastUpdated}, {@code _count},
 * paging through {@code loadPage}, authentication by HAPI client interceptors) on {@link FhirHttpTransport}, so
 * each request keeps the connector's fault handling. Each call returns the page as the server sent it, for
 * {@link SearchPageReader}, which reads every entry on its own and dead-letters the bad ones; HAPI's own parse of
 * the page is lenient and silent, and a page HAPI cannot parse at all is still returned.
 *
 * <p>HAPI's interceptor signs each request; {@link FhirHttp} below sets the same header on every attempt it
 * makes, because only it retries: after a 401 it drops a SMART token and resends with a fresh one, which HAPI's
 * client, sending each request once, cannot do. Thread-safe.
 */
final class FhirClient {

    private final FhirHttpTransport transport;
    private final IGenericClient client;

    /**
     * @param interceptor an authentication interceptor for HAPI's client, if the server needs one
     */
    FhirClient(String baseUrl, FhirHttp http, Optional<Object> interceptor) {
        // HAPI's client takes its transport from the context, so each connector has a context of its own.
        FhirContext context = FhirContext.forR4();
        // Its parser neither logs nor fails on invalid values: they may be patient data, and the page reader
        // judges each entry on its own.
        context.setParserErrorHandler(new LenientErrorHandler(false));
        this.transport = new FhirHttpTransport(context, http);
        context.setRestfulClientFactory(transport);
        GenericClient generic = new GenericClient(context, transport.getHttpClient(baseUrl), baseUrl, transport);
        generic.setEncoding(EncodingEnum.JSON);
        // JSON is asked for by Accept alone: a _format parameter would change the search URLs servers see.
        generic.setFormatParamStyle(RequestFormatParamStyleEnum.NONE);
        interceptor.ifPresent(generic::registerInterceptor);
        this.client = generic;
    }

    /** A searchset page as the server sent it. */
    record RawPage(byte[] body, Optional<String> contentType) {
    }

    /** The first page of a search for {@code type}, changed at or after {@code since} if given. */
    RawPage search(String type, Optional<Instant> since, int count) throws FhirCallException {
        return call("search " + type, () -> {
            IQuery<IBaseBundle> query = client.search().forResource(type).count(count);
            if (since.isPresent()) {
                query = query.lastUpdated(new DateRangeParam(new DateParam("ge" + since.get())));
            }
            return query.returnBundle(Bundle.class).execute();
        });
    }

    /** The page at a {@code next} link the caller has checked. */
    RawPage page(String type, String url) throws FhirCallException {
        return call("search " + type, () -> client.loadPage().byUrl(url).andReturnBundle(Bundle.class).execute());
    }

    private RawPage call(String purpose, Supplier<Bundle> request) throws FhirCallException {
        FhirHttpTransport.Call call = transport.begin(purpose);
        try {
            request.get();
        } catch (RuntimeException e) {
            Optional<FhirCallException> failure = failureIn(e);
            if (failure.isPresent()) {
                throw failure.get();
            }
            if (call.answer().isEmpty()) {
                // Not an answer HAPI could not read: HAPI failed before sending, which is a defect here.
                throw new IllegalStateException("HAPI's client failed on " + purpose + " before sending it: "
                        + e.getClass().getName());
            }
            // The server answered 2xx with something HAPI cannot read; the page reader dead-letters it.
        } finally {
            transport.end();
        }
        FhirHttp.Answer<byte[]> answer = call.answer().orElseThrow();
        return new RawPage(answer.body(), answer.header("Content-Type"));
    }

    private static Optional<FhirCallException> failureIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FhirHttpTransport.Failure failure) {
                return Optional.of(failure.call());
            }
        }
        return Optional.empty();
    }
}
