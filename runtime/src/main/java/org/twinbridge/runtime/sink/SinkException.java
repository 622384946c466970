package org.twinbridge.runtime.sink;

/**
 * A delivery the receiver did not accept. The message is a status code or an exception type, never content, so
 * it can be stored and logged.
 */
public final class SinkException extends Exception {

    private static final long serialVersionUID = 1L;
    private final boolean permanent;

    private SinkException(String reason, boolean permanent) {
        super(reason, null, false, false);
        this.permanent = permanent;
    }

    /** Worth retrying: the receiver is down, slow, overloaded or failed internally (5xx, 408, 429, I/O). */
    public static SinkException transientFailure(String reason) {
        return new SinkException(reason, false);
    }

    /** Retrying the same output cannot help (for example HTTP 400 or 422): it is recorded and skipped. */
    public static SinkException rejected(String reason) {
        return new SinkException(reason, true);
    }

    /** Classifies an HTTP status that is not a success. */
    public static SinkException forStatus(int status) {
        boolean retry = status >= 500 || status == 408 || status == 429 || status == 401 || status == 403;
        return new SinkException("HTTP " + status, !retry);
    }

    public boolean permanent() {
        return permanent;
    }
}
