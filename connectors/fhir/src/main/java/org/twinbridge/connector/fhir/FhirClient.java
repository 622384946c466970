package org.twinbridge.connector.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestFormatParamStyleEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.impl.GenericClient;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.gclient.IOperationUnnamed;
import ca.uhn.fhir.rest.gclient.IQuery;
import ca.uhn.fhir.rest.param.DateRangeParam;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * The connector's FHIR client: HAPI's {@link IGenericClient} (search by {@code _lastUpdated}, {@code _count},
 * paging through {@code loadPage}, authentication by HAPI client interceptors) on {@link FhirHttpTransport}, so
 * each request keeps the connector's fault handling. Each call returns the page as the server sent it, for
 * {@link SearchPageReader}, which reads every entry on its own and dead-letters the bad ones; HAPI's own parse of
 * the page is lenient and silent, and a page HAPI cannot parse at all is still returned.
 *
 * <p>Bulk Data {@code $export} goes through the same client: the kick-off is HAPI's {@code operation()} (by GET,
 * with {@code Prefer: respond-async}), and the status checks and NDJSON downloads are HAPI's
 * {@code rawHttpRequest()}, which is meant for answers that are not FHIR resources (a manifest, NDJSON) yet still
 * runs the client's interceptors and transport. Only the clean-up {@code DELETE} of a finished job is sent by
 * {@link FhirHttp} itself, as HAPI's raw request knows only GET; it has the same fault handling either way.
 *
 * <p>HAPI's interceptor signs each request; {@link FhirHttp} below sets the same header on every attempt it
 * makes, because only it retries: after a 401 it drops a SMART token and resends with a fresh one, which HAPI's
 * client, sending each request once, cannot do. Thread-safe.
 */
final class FhirClient {

    private final FhirHttpTransport transport;
    private final IGenericClient client;
    private final FhirHttp http;

    /**
     * @param http          sends requests with the connector's credentials
     * @param anonymousHttp sends requests without credentials (bulk export files that need no access token)
     * @param interceptor   an authentication interceptor for HAPI's client, if the server needs one
     */
    FhirClient(String baseUrl, FhirHttp http, FhirHttp anonymousHttp, Optional<Object> interceptor) {
        // HAPI's client takes its transport from the context, so each connector has a context of its own.
        FhirContext context = FhirContext.forR4();
        // Its parser neither logs nor fails on invalid values: they may be patient data, and the page reader
        // judges each entry on its own.
        context.setParserErrorHandler(new LenientErrorHandler(false));
        this.http = http;
        this.transport = new FhirHttpTransport(context, http, anonymousHttp);
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
        return rawPage("search " + type, () -> {
            IQuery<IBaseBundle> query = client.search().forResource(type).count(count);
            if (since.isPresent()) {
                query = query.lastUpdated(new DateRangeParam(new DateParam("ge" + since.get())));
            }
            return query.returnBundle(Bundle.class).execute();
        });
    }

    /** The page at a {@code next} link the caller has checked. */
    RawPage page(String type, String url) throws FhirCallException {
        return rawPage("search " + type, () -> client.loadPage().byUrl(url).andReturnBundle(Bundle.class).execute());
    }

    /**
     * Kicks off a Bulk Data export of {@code types} in NDJSON at the settings' level, asking for the asynchronous
     * pattern. Returns the answer as sent (a 202 with {@code Content-Location}, from a server that can export).
     */
    FhirHttp.Answer<byte[]> kickOffExport(BulkExportSettings bulk, List<String> types) throws FhirCallException {
        Parameters parameters = new Parameters();
        parameters.addParameter("_outputFormat", new StringType("application/fhir+ndjson"));
        parameters.addParameter("_type", new StringType(String.join(",", types)));
        return call("bulk export kick-off", () -> {
            IOperationUnnamed on = switch (bulk.level()) {
                case "patient" -> client.operation().onType("Patient");
                case "group" -> client.operation().onInstance(new IdType("Group", bulk.groupId().orElseThrow()));
                default -> client.operation().onServer();
            };
            // The kick-off's answer is a 202 with an empty body; whatever HAPI makes of it, call() returns it as sent.
            return on.named("$export").withParameters(parameters).useHttpGet().accept("application/fhir+json")
                    .withAdditionalHeader("Prefer", "respond-async").returnMethodOutcome().execute();
        });
    }

    /** A GET of a URL whose answer is not a FHIR resource (a bulk export's status), returned as sent. */
    FhirHttp.Answer<byte[]> get(String purpose, String url, String accept) throws FhirCallException {
        return call(purpose, () -> client.rawHttpRequest().get(url).accept(accept).execute());
    }

    /**
     * A GET whose body is written to {@code target} as it arrives (a bulk export's NDJSON file).
     *
     * @param anonymous send it without credentials (the file may be on another host)
     */
    void download(String purpose, String url, String accept, boolean anonymous, Path target)
            throws FhirCallException {
        call(transport.beginDownload(purpose, anonymous, target), purpose,
                () -> client.rawHttpRequest().get(url).accept(accept).execute());
    }

    /** A DELETE of a URL (a finished bulk export job), by {@link FhirHttp}: HAPI's raw request has only GET. */
    void delete(String purpose, URI url) throws FhirCallException {
        http.send(purpose, HttpRequest.newBuilder(url).DELETE(), HttpResponse.BodyHandlers.discarding());
    }

    private RawPage rawPage(String purpose, Supplier<?> request) throws FhirCallException {
        FhirHttp.Answer<byte[]> answer = call(purpose, request);
        return new RawPage(answer.body(), answer.header("Content-Type"));
    }

    private FhirHttp.Answer<byte[]> call(String purpose, Supplier<?> request) throws FhirCallException {
        return call(transport.begin(purpose), purpose, request);
    }

    private FhirHttp.Answer<byte[]> call(FhirHttpTransport.Call call, String purpose, Supplier<?> request)
            throws FhirCallException {
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
            // The server answered 2xx with something HAPI cannot read; the caller reads it as sent.
        } finally {
            transport.end();
        }
        return call.answer().orElseThrow();
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
