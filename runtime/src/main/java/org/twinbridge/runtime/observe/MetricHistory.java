package org.twinbridge.runtime.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The last hour of the node's throughput and lag, in memory: one {@link Sample} per {@link #INTERVAL}, at most
 * {@link #CAPACITY} of them, the oldest dropped first. Each sample holds, per connector, records journalled and its
 * lag in seconds, and per plugin, records delivered and its cursor lag in records, with the rate per minute since
 * the previous sample. Memory is bounded by the capacity times the configured connectors and plugins. Ids, counts
 * and times only: no PHI. The history starts empty at every start of the node (Prometheus keeps longer history).
 * Thread-safe.
 */
public final class MetricHistory {

    /** How often the node samples. */
    public static final Duration INTERVAL = Duration.ofMinutes(1);
    /** Samples kept: an hour at one a minute. */
    public static final int CAPACITY = 60;

    /**
     * One thing measured now.
     *
     * @param count a counter that only grows while the node runs (records journalled or delivered)
     * @param lag   the lag now (seconds for a connector, records for a plugin); null when the source has none
     */
    public record Reading(long count, Double lag) {
    }

    /**
     * One thing in one sample.
     *
     * @param perMinute {@code count}'s growth per minute since the previous sample; null in the first sample
     */
    public record Point(long count, Double perMinute, Double lag) {
    }

    /** What was measured at one moment, by connector id and plugin id. */
    public record Sample(Instant at, Map<String, Point> connectors, Map<String, Point> plugins) {
        public Sample {
            Objects.requireNonNull(at, "at");
            connectors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(connectors));
            plugins = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(plugins));
        }
    }

    /** Reads what the node measures now. */
    public interface Source {
        /** Per connector id, records journalled and lag in seconds. */
        Map<String, Reading> connectors();

        /** Per plugin id, records delivered and cursor lag in records. */
        Map<String, Reading> plugins();

        /** A source that asks the two suppliers. */
        static Source of(Supplier<Map<String, Reading>> connectors, Supplier<Map<String, Reading>> plugins) {
            return new Source() {
                @Override
                public Map<String, Reading> connectors() {
                    return connectors.get();
                }

                @Override
                public Map<String, Reading> plugins() {
                    return plugins.get();
                }
            };
        }
    }

    private final Source source;
    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<Sample> samples;

    public MetricHistory(Source source, Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.capacity = capacity;
        this.samples = new ArrayDeque<>(capacity);
    }

    /** Takes one sample now, dropping the oldest when the history is full; returns it. */
    public Sample sample() {
        // Read outside the lock: the plugin counters come from the database.
        Map<String, Reading> connectors = source.connectors();
        Map<String, Reading> plugins = source.plugins();
        synchronized (this) {
            Instant now = clock.instant();
            Sample previous = samples.peekLast();
            Sample next = new Sample(now, points(connectors, previous == null ? null : previous.connectors(),
                    previous, now), points(plugins, previous == null ? null : previous.plugins(), previous, now));
            if (samples.size() == capacity) {
                samples.removeFirst();
            }
            samples.addLast(next);
            return next;
        }
    }

    /** The samples, oldest first. */
    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private static Map<String, Point> points(Map<String, Reading> now, Map<String, Point> before, Sample previous,
            Instant at) {
        Map<String, Point> out = new LinkedHashMap<>();
        now.forEach((id, reading) -> {
            Point last = before == null ? null : before.get(id);
            Double rate = last == null ? null : perMinute(last.count(), reading.count(),
                    Duration.between(previous.at(), at));
            out.put(id, new Point(reading.count(), rate, reading.lag()));
        });
        return out;
    }

    /**
     * Growth per minute of a counter between two readings. A counter that went down (it cannot while the node
     * runs) counts as no growth; no time between the readings gives no rate.
     */
    static Double perMinute(long before, long after, Duration between) {
        if (between.isZero() || between.isNegative()) {
            return null;
        }
        // Nanoseconds, not milliseconds: two samples less than a millisecond apart must not divide by zero.
        double minutes = between.toNanos() / 60e9;
        return Math.max(0, after - before) / minutes;
    }
}
