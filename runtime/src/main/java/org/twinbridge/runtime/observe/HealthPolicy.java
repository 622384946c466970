package org.twinbridge.runtime.observe;

import java.time.Duration;
import java.util.Objects;

/**
 * When failures turn a connector DEGRADED or DOWN, and when it counts as recovered.
 *
 * @param failuresBeforeDown consecutive failures (with no success between) that make a connector DOWN
 * @param downAfter          how long an unbroken failure streak may last before the connector is DOWN, even with
 *                           fewer failures (a source that went silent after failing, such as a lost broker)
 * @param degradedWindow     how long after its last failure or rejection a connector stays DEGRADED
 */
public record HealthPolicy(int failuresBeforeDown, Duration downAfter, Duration degradedWindow) {

    /** Three failures in a row, or two minutes of failing, is DOWN; five quiet minutes after a failure is UP. */
    public static final HealthPolicy DEFAULT = new HealthPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(5));

    public HealthPolicy {
        if (failuresBeforeDown < 1) {
            throw new IllegalArgumentException("failuresBeforeDown must be at least 1, not " + failuresBeforeDown);
        }
        Objects.requireNonNull(downAfter, "downAfter");
        Objects.requireNonNull(degradedWindow, "degradedWindow");
        if (downAfter.isNegative() || degradedWindow.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }
}
