package org.twinbridge.connector.fhir;

/**
 * A poll failed. The message names the connector, the resource type and the kind of failure only: server
 * error bodies can echo patient data, so they are never copied into it.
 */
final class FhirPollException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    FhirPollException(String connectorId, String resourceType, String kind, Throwable cause) {
        super("TB-CONN-FHIR-001 connector " + connectorId + ": polling " + resourceType + " failed (" + kind
                + "); the watermark was not advanced and the next poll retries", null);
        // The cause is kept for its type and stack only; its message may hold server-provided text.
        setStackTrace(cause.getStackTrace());
    }
}
