package org.twinbridge.connector.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A HAPI client interceptor that signs each request with {@link Credentials} that may fetch a token (SMART Backend
 * Services), where HAPI's {@code BearerTokenAuthInterceptor} holds a fixed one. A token that cannot be had fails
 * the request as {@link FhirErrorKind#AUTH}, as it fails any other request of the connector. Thread-safe.
 */
final class CredentialsInterceptor implements IClientInterceptor {

    private final Credentials credentials;

    CredentialsInterceptor(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void interceptRequest(IHttpRequest request) {
        Optional<String> authorization;
        try {
            authorization = credentials.authorization();
        } catch (FhirCallException e) {
            // HAPI's client lets only unchecked exceptions out of an interceptor; FhirClient unwraps this one.
            throw new UncheckedIOException(new FhirHttpTransport.Failure(e));
        }
        authorization.ifPresent(value -> {
            request.removeHeaders("Authorization");
            request.addHeader("Authorization", value);
        });
    }

    @Override
    public void interceptResponse(IHttpResponse response) {
        // Nothing to read from the answer: a 401 is retried by FhirHttp with a fresh token.
    }

    @Override
    public String toString() {
        return "CredentialsInterceptor[" + credentials + "]";
    }
}
