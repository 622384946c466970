package org.twinbridge.plugin.ward;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One patient's time on one ward: from arrival until leaving (transfer or discharge), or still there.
 *
 * @param ward  the ward's pseudonymous {@code Location/...} reference
 * @param start arrival on the ward
 * @param end   leaving the ward; empty while the patient is there
 */
record WardStay(String ward, Instant start, Optional<Instant> end) {

    WardStay {
        Objects.requireNonNull(ward, "ward");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    /** Whether the patient was on the ward at that instant. */
    boolean occupiesAt(Instant at) {
        return !start.isAfter(at) && (end.isEmpty() || end.get().isAfter(at));
    }

    /** Time on the ward as of {@code at} (for a finished stay, its whole length). */
    Duration lengthAt(Instant at) {
        Instant until = end.filter(e -> e.isBefore(at)).orElse(at);
        return until.isAfter(start) ? Duration.between(start, until) : Duration.ZERO;
    }
}
