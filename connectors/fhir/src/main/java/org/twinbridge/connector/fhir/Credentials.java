package org.twinbridge.connector.fhir;

import java.util.Optional;

/** Supplies the {@code Authorization} header for requests to the FHIR server. Thread-safe. */
interface Credentials {

    /** No credentials: requests go out without an {@code Authorization} header. */
    Credentials NONE = new Credentials() {
        @Override
        public Optional<String> authorization() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "Credentials[none]";
        }
    };

    /** The header value for the next request, or empty for none. May fetch a token (and so fail). */
    Optional<String> authorization() throws FhirCallException;

    /**
     * Forgets a cached token after the server answered 401, so that the next {@link #authorization()} fetches a
     * new one. Returns whether that can help: false for static credentials, which the server refused for good.
     */
    default boolean invalidate() {
        return false;
    }
}
