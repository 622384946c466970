package org.twinbridge.connector.fhir;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Time under a test's control: a clock that moves only when told to or when the connector "sleeps", which
 * returns at once after recording the wait. Jitter draws a fixed value. Thread-safe.
 */
final class ManualTiming {

    private final AtomicReference<Instant> now;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final double random;

    ManualTiming(Instant start, double random) {
        this.now = new AtomicReference<>(start);
        this.random = random;
    }

    ManualTiming() {
        this(Instant.parse("2026-01-15T09:00:00Z"), 0.0);
    }

    Timing timing() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new Timing(clock, d -> {
            sleeps.add(d);
            advance(d);
        }, () -> random);
    }

    void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    Instant now() {
        return now.get();
    }

    /** Every wait asked for, in order. */
    List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
