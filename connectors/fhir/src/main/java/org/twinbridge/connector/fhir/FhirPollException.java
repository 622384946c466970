package org.twinbridge.connector.fhir;

import java.util.ArrayList;
import java.util.List;

/**
 * A poll failed. The message names the connector, the resource type and the kind of failure only: server
 * error bodies can echo patient data, so they are never copied into it. The cause chain keeps each cause's
 * class and stack trace for diagnosis, but not its message, which may quote the server or a record.
 */
final class FhirPollException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    FhirPollException(String connectorId, String resourceType, String kind, Throwable cause) {
        super("TB-CONN-FHIR-001 connector " + connectorId + ": polling " + resourceType + " failed (" + kind
                + "); the watermark was not advanced and the next poll retries", RedactedCause.chainOf(cause));
    }

    /** Stands in for one cause: its class name and stack trace, without its message. */
    static final class RedactedCause extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private static final int MAX_DEPTH = 16;

        private RedactedCause(Throwable original, RedactedCause cause) {
            super(original.getClass().getName() + " (message withheld: it may quote server or record content)", cause);
            setStackTrace(original.getStackTrace());
        }

        /** The redacted copy of {@code original} and its causes, or null if {@code original} is null. */
        static RedactedCause chainOf(Throwable original) {
            List<Throwable> chain = new ArrayList<>();
            for (Throwable t = original; t != null && chain.size() < MAX_DEPTH && !chain.contains(t);
                    t = t.getCause()) {
                chain.add(t);
            }
            RedactedCause redacted = null;
            for (int i = chain.size() - 1; i >= 0; i--) {
                redacted = new RedactedCause(chain.get(i), redacted);
            }
            return redacted;
        }
    }
}
