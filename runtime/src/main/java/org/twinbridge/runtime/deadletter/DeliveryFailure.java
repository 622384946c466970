package org.twinbridge.runtime.deadletter;

import java.util.Objects;

/**
 * Why a plugin's delivery failed, without the exception's message (a plugin's message may quote the record):
 * the exception's class name and a fixed kind.
 *
 * @param errorKind the exception's class name, e.g. {@code java.lang.IllegalStateException}
 * @param kind      what sort of failure it was
 */
public record DeliveryFailure(String errorKind, Kind kind) {

    /** Fixed failure kinds; their names are what operators see next to the exception type. */
    public enum Kind {
        /** onRecord threw an unchecked exception. */
        PLUGIN_EXCEPTION,
        /** onRecord threw a checked exception (smuggled past the signature). */
        PLUGIN_CHECKED_EXCEPTION,
        /** the plugin's classes do not fit the runtime (a missing class, a changed signature). */
        PLUGIN_LINKAGE_ERROR,
        /** the plugin broke a limit of the SDK: state value size, key length, outputs per delivery. */
        SDK_LIMIT,
        /** the plugin's process exited or was killed during the delivery. */
        PROCESS_CRASHED,
        /** the plugin's process did not answer within the batch timeout and was killed. */
        PROCESS_TIMEOUT,
        /** the plugin's process ran out of its memory limit and was killed. */
        PROCESS_OUT_OF_MEMORY,
        /** the plugin's process broke the protocol (malformed or oversized answer) and was killed. */
        PROTOCOL_VIOLATION
    }

    public DeliveryFailure {
        Objects.requireNonNull(errorKind, "errorKind");
        Objects.requireNonNull(kind, "kind");
        errorKind = errorKind.length() <= 200 ? errorKind : errorKind.substring(0, 200);
    }

    /** {@code PLUGIN_EXCEPTION java.lang.IllegalStateException}: safe to log and to show. */
    public String describe() {
        return kind + " " + errorKind;
    }
}
