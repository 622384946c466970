package org.twinbridge.connector.fhir;

/**
 * The kinds of failure a FHIR connector can meet, small and stable so that health reporting and operators can
 * act on them without reading logs. None of them carries content: a kind is all that is reported.
 */
public enum FhirErrorKind {
    /** No answer within the connect or read timeout. */
    TIMEOUT(true),
    /** Nothing listens at the server's address (connection refused). */
    CONNECTION_REFUSED(true),
    /** The connection broke (reset, closed early, TLS failure) before a whole answer arrived. */
    CONNECTION_FAILED(true),
    /** The server answered 5xx. */
    HTTP_5XX(true),
    /** The server answered 429 Too Many Requests, or asked the connector to hold off. */
    RATE_LIMITED(true),
    /**
     * The server refused the request for good: a 4xx other than 401, 403 and 429, a 501 or 505, or a redirect
     * (not followed, so that credentials stay with the configured server).
     */
    REQUEST_REJECTED(false),
    /** The server refused the credentials (401, 403), or no access token could be obtained. */
    AUTH(false),
    /** A body that is not JSON, not valid FHIR, or the wrong resource type; it was dead-lettered. */
    MALFORMED_BODY(false),
    /** The circuit breaker is open: the server failed repeatedly, and is left alone for a while. */
    CIRCUIT_OPEN(false),
    /** The node's journal or dead-letter store did not commit; nothing was acknowledged. */
    JOURNAL(false);

    private final boolean transientFault;

    FhirErrorKind(boolean transientFault) {
        this.transientFault = transientFault;
    }

    /** The kind as a connector health code, e.g. {@code http-5xx}, {@code connection-refused}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Whether the same request may succeed if tried again shortly, so that it is worth a retry. */
    public boolean isTransient() {
        return transientFault;
    }
}
