package org.twinbridge.connector.fhir;

/**
 * One HTTP exchange with the server (after its retries) failed. The message is the connector's own description,
 * such as {@code HTTP 503} or {@code connection refused}: never the server's body or a cause's message, which can
 * quote patient data. The cause chain keeps types and stack traces only.
 */
final class FhirCallException extends Exception {

    private static final long serialVersionUID = 1L;
    private final FhirErrorKind kind;

    FhirCallException(FhirErrorKind kind, String detail, Throwable cause) {
        super(detail, FhirPollException.RedactedCause.chainOf(cause));
        this.kind = kind;
    }

    FhirCallException(FhirErrorKind kind, String detail) {
        this(kind, detail, null);
    }

    /** What kind of failure this was. */
    FhirErrorKind kind() {
        return kind;
    }
}
