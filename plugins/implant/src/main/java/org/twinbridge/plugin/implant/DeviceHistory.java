package org.twinbridge.plugin.implant;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A subject's device readings per measure, in time order whatever order they arrived in (a resent reading
 * replaces the one at the same time), the alerts that are active, and the day the last status was emitted.
 * At most {@link #MAX_PER_MEASURE} readings per measure are kept: ten years of weekly transmissions. Mutable; one
 * instance per delivery.
 */
final class DeviceHistory {

    static final int MAX_PER_MEASURE = 520;
    static final String HEADER = "implant-history 1";

    private final Map<Measure, TreeMap<Instant, Double>> series = new EnumMap<>(Measure.class);
    private final TreeSet<String> activeAlerts = new TreeSet<>();
    private Optional<Instant> lastStatus = Optional.empty();

    void add(Reading reading) {
        TreeMap<Instant, Double> points = series.computeIfAbsent(reading.measure(), m -> new TreeMap<>());
        points.put(reading.at(), reading.value());
        while (points.size() > MAX_PER_MEASURE) {
            points.pollFirstEntry();
        }
    }

    /** The readings of a measure, oldest first. */
    NavigableMap<Instant, Double> series(Measure measure) {
        return series.getOrDefault(measure, new TreeMap<>());
    }

    boolean alertActive(String key) {
        return activeAlerts.contains(key);
    }

    void setAlert(String key, boolean active) {
        if (active) {
            activeAlerts.add(key);
        } else {
            activeAlerts.remove(key);
        }
    }

    Optional<Instant> lastStatus() {
        return lastStatus;
    }

    void setLastStatus(Instant at) {
        lastStatus = Optional.of(at);
    }

    String encode() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        lastStatus.ifPresent(t -> out.append("S ").append(t).append('\n'));
        activeAlerts.forEach(a -> out.append("A ").append(a).append('\n'));
        series.forEach((m, points) -> points.forEach((t, v) -> out.append("R ").append(m.name()).append(' ')
                .append(t).append(' ').append(v).append('\n')));
        return out.toString();
    }

    static DeviceHistory decode(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            throw new IllegalStateException("TB-IMPLANT-001 implant-twin state does not start with '" + HEADER
                    + "'; it was written by another version or is damaged");
        }
        DeviceHistory history = new DeviceHistory();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ");
            try {
                switch (f[0]) {
                    case "S" -> history.lastStatus = Optional.of(Instant.parse(f[1]));
                    case "A" -> history.activeAlerts.add(f[1]);
                    case "R" -> history.add(new Reading(Measure.valueOf(f[1]), Instant.parse(f[2]),
                            Double.parseDouble(f[3])));
                    default -> throw new IllegalArgumentException("unknown line type");
                }
            } catch (IllegalArgumentException | DateTimeParseException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalStateException("TB-IMPLANT-001 implant-twin state line " + i + " is damaged: "
                        + e.getClass().getSimpleName());
            }
        }
        return history;
    }

    /** Values of a measure within [from, to], oldest first. */
    List<Double> valuesBetween(Measure measure, Instant from, Instant to) {
        return new ArrayList<>(series(measure).subMap(from, true, to, true).values());
    }
}
