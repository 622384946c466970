package org.twinbridge.runtime.sink;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import java.util.Optional;

/**
 * Writes each output back to a FHIR R4 server with {@code PUT [type]/[output id]}: an update-as-create keyed by
 * the output id, so a retry after a lost response rewrites the same resource instead of creating a second one.
 */
final class FhirWriteBackSink implements Sink {

    private final IGenericClient client;

    FhirWriteBackSink(String baseUrl, Optional<String> token, Duration timeout) {
        // A context of its own: client settings live on the context's factory, and the shared context also serves
        // the FHIR connector, whose timeouts are not ours to change.
        FhirContext fhir = FhirContext.forR4();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setConnectTimeout((int) timeout.toMillis());
        fhir.getRestfulClientFactory().setSocketTimeout((int) timeout.toMillis());
        this.client = fhir.newRestfulGenericClient(baseUrl);
        token.ifPresent(t -> client.registerInterceptor(new BearerTokenAuthInterceptor(t)));
    }

    @Override
    public void deliver(SinkMessage message) throws SinkException {
        try {
            client.update().resource(message.resource()).withId(message.resource().fhirType() + "/"
                    + message.resource().getIdElement().getIdPart()).execute();
        } catch (BaseServerResponseException e) {
            // The server's message can echo the resource: keep the status only.
            throw e.getStatusCode() == 0 ? SinkException.transientFailure(e.getClass().getSimpleName())
                    : SinkException.forStatus(e.getStatusCode());
        } catch (RuntimeException e) {
            throw SinkException.transientFailure(e.getClass().getSimpleName());
        }
    }
}
