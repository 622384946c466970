package org.twinbridge.runtime.deadletter;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of a dead letter as operators type it: {@code P-12} for a plugin delivery parked after its retries,
 * {@code C-5} for a connector's dead letter (a source message that never became a record). A bare number means
 * a parked delivery.
 */
public sealed interface DeadLetterId {

    /** A parked plugin delivery (a row of the plugin dead-letter list). */
    record Parked(long id) implements DeadLetterId {
        @Override
        public String toString() {
            return "P-" + id;
        }
    }

    /** A connector dead letter. */
    record Connector(long id) implements DeadLetterId {
        @Override
        public String toString() {
            return "C-" + id;
        }
    }

    /** Parses {@code P-12}, {@code C-5} or {@code 12}; empty if the text is none of these. */
    public static Optional<DeadLetterId> parse(String text) {
        Matcher m = Pattern.compile("(?i)(?:([PC])-?)?(\\d{1,18})").matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long id = Long.parseLong(m.group(2));
        return Optional.of(m.group(1) != null && m.group(1).equalsIgnoreCase("C") ? new Connector(id)
                : new Parked(id));
    }
}
