package org.twinbridge.plugin.ward;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The hospital-wide view the census and forecast need: every subject's ward stays that are open or ended within
 * the retention window, the stream clock (the latest event time heard) and when the stream began. Subjects are
 * the twin's pseudonyms; nothing else about a patient is kept here. Immutable.
 *
 * @param clock     the latest event time heard; the twin's "now", so that a replay gives the same answers
 * @param firstSeen the earliest event time heard
 * @param stays     by subject pseudonym, that subject's ward stays
 */
record HospitalIndex(Optional<Instant> clock, Optional<Instant> firstSeen, Map<String, List<WardStay>> stays) {

    /** How long finished stays are kept for the statistics: four weeks of arrivals and lengths of stay. */
    static final Duration RETENTION = Duration.ofDays(28);

    HospitalIndex {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(firstSeen, "firstSeen");
        TreeMap<String, List<WardStay>> copy = new TreeMap<>();
        stays.forEach((subject, list) -> {
            if (!list.isEmpty()) {
                copy.put(subject, List.copyOf(list));
            }
        });
        stays = java.util.Collections.unmodifiableMap(copy);
    }

    static HospitalIndex empty() {
        return new HospitalIndex(Optional.empty(), Optional.empty(), Map.of());
    }

    /** The index with a subject's stays replaced, the clock advanced to {@code eventTime}, old stays dropped. */
    HospitalIndex with(String subject, List<WardStay> subjectStays, Optional<Instant> eventTime) {
        Optional<Instant> newClock = latest(clock, eventTime);
        Optional<Instant> first = eventTime.isPresent() && (firstSeen.isEmpty()
                || eventTime.get().isBefore(firstSeen.get())) ? eventTime : firstSeen;
        Map<String, List<WardStay>> next = new TreeMap<>(stays);
        next.put(subject, subjectStays);
        if (newClock.isPresent()) {
            Instant cutoff = newClock.get().minus(RETENTION);
            next.replaceAll((s, list) -> list.stream()
                    .filter(stay -> stay.end().isEmpty() || stay.end().get().isAfter(cutoff)).toList());
        }
        return new HospitalIndex(newClock, first, next);
    }

    /** The index without a subject (erasure). */
    HospitalIndex without(String subject) {
        Map<String, List<WardStay>> next = new TreeMap<>(stays);
        next.remove(subject);
        return new HospitalIndex(clock, firstSeen, next);
    }

    /** Every ward that has had a stay, in a stable order. */
    List<String> wards() {
        TreeSet<String> wards = new TreeSet<>();
        stays.values().forEach(list -> list.forEach(stay -> wards.add(stay.ward())));
        return List.copyOf(wards);
    }

    /** The stays on a ward, of every subject. */
    List<WardStay> staysOn(String ward) {
        List<WardStay> out = new ArrayList<>();
        stays.values().forEach(list -> list.stream().filter(s -> s.ward().equals(ward)).forEach(out::add));
        return out;
    }

    /** The stays on a ward at an instant. */
    List<WardStay> occupants(String ward, Instant at) {
        return staysOn(ward).stream().filter(s -> s.occupiesAt(at)).toList();
    }

    private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isAfter(b.get()) ? a : b;
    }
}
