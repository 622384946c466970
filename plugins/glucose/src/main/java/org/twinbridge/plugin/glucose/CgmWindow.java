package org.twinbridge.plugin.glucose;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.twinbridge.sdk.StateStore;

/**
 * A subject's CGM readings over a sliding window (14 days by default, the consensus reporting period), kept
 * in the state store as one small value per UTC day plus a {@link CgmSummary} of running totals.
 *
 * <p>Adding a reading touches the summary and the current day; only when readings leave the window is the
 * oldest day read and rewritten. So the cost of a reading does not grow with the window, and every value stays
 * a few kilobytes (a day of 5-minute readings is 288 lines), far below {@link StateStore#MAX_VALUE_BYTES}.
 *
 * <p>The window holds the readings taken after {@code newest - length}. Readings must arrive in time order: a
 * reading not after the newest one (a duplicate, or a late back-filled reading) is refused. If stored values
 * cannot be read (a format from another version, or damage), the window starts again empty rather than
 * failing every later delivery.
 *
 * <p>Not thread-safe: bound to one delivery's state store.
 */
final class CgmWindow {

    static final Duration DEFAULT_LENGTH = Duration.ofDays(14);
    static final String SUMMARY_KEY = "glucose.cgm.summary";
    static final String DAY_KEY_PREFIX = "glucose.cgm.day.";

    private static final long MILLIS_PER_DAY = Duration.ofDays(1).toMillis();

    private final StateStore store;
    private final String subject;
    private final Duration length;

    CgmWindow(StateStore store, String subject, Duration length) {
        this.store = Objects.requireNonNull(store, "store");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.length = Objects.requireNonNull(length, "length");
        if (length.compareTo(CgmSummary.SENSOR_INTERVAL) < 0) {
            throw new IllegalArgumentException("a CGM window must be at least one sensor interval, was " + length);
        }
    }

    /** The running totals, empty if there are no readings. */
    CgmSummary summary() {
        return store.get(subject, SUMMARY_KEY).flatMap(WindowText::decodeSummary).orElse(CgmSummary.EMPTY);
    }

    /**
     * Adds a reading and lets readings older than the window go.
     *
     * @return the updated totals, or empty if the reading was refused because it is not after the newest
     */
    Optional<CgmSummary> add(Instant at, double mgPerDl) {
        Optional<String> stored = store.get(subject, SUMMARY_KEY);
        CgmSummary summary = stored.flatMap(WindowText::decodeSummary).orElse(CgmSummary.EMPTY);
        if (stored.isPresent() && summary == CgmSummary.EMPTY) {
            erase(); // unreadable: start again, see the class comment
        }
        if (summary.newest().isPresent() && !at.isAfter(summary.newest().get())) {
            return Optional.empty();
        }
        int tenths = CgmSummary.tenths(mgPerDl);
        long day = Math.floorDiv(at.toEpochMilli(), MILLIS_PER_DAY);
        // A day the totals do not list holds nothing of this window (it may hold leftovers of a window that
        // was started again), so it starts empty.
        boolean listed = summary.days().contains(day);
        List<WindowText.Entry> today = new ArrayList<>(listed ? readDay(day) : List.of());
        today.add(new WindowText.Entry(Math.floorMod(at.toEpochMilli(), MILLIS_PER_DAY), tenths));
        writeDay(day, today);
        summary = evictUpTo(summary.plus(at, tenths), at.minus(length));
        put(SUMMARY_KEY, WindowText.encode(summary));
        return Optional.of(summary);
    }

    /** Deletes everything the window holds for the subject. */
    void erase() {
        store.get(subject, SUMMARY_KEY).flatMap(WindowText::decodeSummary)
                .ifPresent(summary -> summary.days().forEach(day -> store.delete(subject, dayKey(day))));
        store.delete(subject, SUMMARY_KEY);
    }

    /** Removes the readings taken at or before {@code cutoff}, oldest day first. */
    private CgmSummary evictUpTo(CgmSummary summary, Instant cutoff) {
        List<Long> days = new ArrayList<>(summary.days());
        while (summary.oldest().isPresent() && !summary.oldest().get().isAfter(cutoff) && !days.isEmpty()) {
            long day = days.get(0);
            List<WindowText.Entry> kept = new ArrayList<>();
            for (WindowText.Entry entry : readDay(day)) {
                if (instant(day, entry).isAfter(cutoff)) {
                    kept.add(entry);
                } else {
                    summary = summary.minus(entry.tenths());
                }
            }
            if (kept.isEmpty()) {
                store.delete(subject, dayKey(day));
                days.remove(0);
                if (days.isEmpty() || summary.readings() == 0) {
                    return summary;
                }
                summary = summary.withOldest(firstOf(days.get(0)), days);
            } else {
                writeDay(day, kept);
                return summary.withOldest(instant(day, kept.get(0)), days);
            }
        }
        return summary;
    }

    private Instant firstOf(long day) {
        List<WindowText.Entry> entries = readDay(day);
        // A listed day without readings cannot happen unless the store was damaged; treat its start as oldest
        // so that the next pass removes it.
        return entries.isEmpty() ? Instant.ofEpochMilli(day * MILLIS_PER_DAY) : instant(day, entries.get(0));
    }

    private List<WindowText.Entry> readDay(long day) {
        return store.get(subject, dayKey(day)).map(WindowText::decodeDay).orElse(List.of());
    }

    private void writeDay(long day, List<WindowText.Entry> entries) {
        put(dayKey(day), WindowText.encode(entries));
    }

    private void put(String key, String value) {
        GlucoseTwin.checkSize(key, value);
        store.put(subject, key, value);
    }

    private static Instant instant(long day, WindowText.Entry entry) {
        return Instant.ofEpochMilli(day * MILLIS_PER_DAY + entry.millisOfDay());
    }

    static String dayKey(long epochDay) {
        return DAY_KEY_PREFIX + epochDay;
    }
}
