package org.twinbridge.connector.fhir;

import java.util.ArrayList;
import java.util.List;

/**
 * A poll failed. The message names the connector, the resource type and the kind of failure only: server
 * error bodies can echo patient data, so they are never copied into it. The cause chain keeps each cause's
 * class and stack trace for diagnosis, but not its message, which may quote the server or a record.
 * {@link #kind()} classifies the failure for health reports. Thrown on the connector's Camel route, so it is
 * what the route's exchange carries when a poll fails.
 */
public final class FhirPollException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final FhirErrorKind kind;

    /**
     * @param what   what failed, e.g. {@code polling Observation} or {@code bulk export}
     * @param detail the connector's own description of the failure, e.g. {@code HTTP 503}; never server text
     */
    FhirPollException(String connectorId, String what, FhirErrorKind kind, String detail, Throwable cause) {
        super("TB-CONN-FHIR-001 connector " + connectorId + ": " + what + " failed (" + kind + ": " + detail
                + "); the watermark was not advanced and the next poll retries", RedactedCause.chainOf(cause));
        this.kind = kind;
    }

    /** The kind of failure, for health reports. */
    public FhirErrorKind kind() {
        return kind;
    }

    /** Stands in for one cause: its class name and stack trace, without its message. */
    static final class RedactedCause extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private static final int MAX_DEPTH = 16;

        private RedactedCause(Throwable original, RedactedCause cause) {
            super(safeMessage(original), cause);
            setStackTrace(original.getStackTrace());
        }

        // The connector's own exceptions carry messages it wrote itself; every other message is withheld.
        private static String safeMessage(Throwable original) {
            if (original instanceof RedactedCause) {
                return original.getMessage();
            }
            if (original instanceof FhirCallException call) {
                return FhirCallException.class.getName() + ": " + call.kind() + ", " + call.getMessage();
            }
            return original.getClass().getName() + " (message withheld: it may quote server or record content)";
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
