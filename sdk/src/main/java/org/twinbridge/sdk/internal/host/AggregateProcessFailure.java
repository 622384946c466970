package org.twinbridge.sdk.internal.host;

import java.util.Objects;

/**
 * An aggregate plugin's process failed to produce a table: the node's stand-in throws it, and the site turns its
 * {@link Kind} into a TB-FED code. Its message is fixed text chosen by the kind (and, for {@link Kind#PLUGIN_FAILED},
 * a checked class name), so it can be logged and sent to the coordinator: nothing in it comes from a record.
 */
public final class AggregateProcessFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final Kind kind;

    /** What went wrong. */
    public enum Kind {
        /** the process could not start, or its plugin could not load. */
        NOT_STARTED("could not be started"),
        /** the process exited or was killed before it answered. */
        CRASHED("exited before it answered"),
        /** the process did not answer within the timeout and was killed. */
        TIMEOUT("did not answer in time and was killed"),
        /** the process exceeded its memory limit and was killed. */
        OUT_OF_MEMORY("ran out of memory and was killed"),
        /** the answer was not a well-formed table. */
        MALFORMED("answered with a malformed table and was killed"),
        /** the answer was larger than the output limit. */
        OVERSIZED("answered with more than the output limit and was killed"),
        /** the plugin threw (or returned no table) inside its process. */
        PLUGIN_FAILED("reported that the plugin failed");

        private final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    /** @param detail fixed text or a validated class name; never plugin output or record content */
    public AggregateProcessFailure(Kind kind, String detail) {
        super("the aggregate plugin's sandboxed process " + kind.text
                + (detail.isEmpty() ? "" : " (" + detail + ")"), null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
