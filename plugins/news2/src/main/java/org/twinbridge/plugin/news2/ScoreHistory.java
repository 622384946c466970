package org.twinbridge.plugin.news2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The most recent NEWS2 scores emitted for one subject, oldest first, at most {@link #CAPACITY}. Immutable.
 *
 * @param entries the scores, oldest first; at most {@link #CAPACITY}
 */
public record ScoreHistory(List<Entry> entries) {

    /** How many scores are kept: enough for a trend, small enough to stay a few hundred bytes. */
    public static final int CAPACITY = 10;

    /** No scores yet. */
    public static final ScoreHistory EMPTY = new ScoreHistory(List.of());

    /**
     * One emitted score.
     *
     * @param at    when the score applied: the record's effective time, or the node's clock if it had none
     * @param total the aggregate score, 0 or more
     * @param band  its risk band
     */
    public record Entry(Instant at, int total, RiskBand band) {
        public Entry {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(band, "band");
            if (total < 0) {
                throw new IllegalArgumentException("TB-NEWS2-009: a NEWS2 total is 0 or more, not " + total);
            }
        }
    }

    public ScoreHistory {
        entries = List.copyOf(entries);
        if (entries.size() > CAPACITY) {
            throw new IllegalArgumentException("TB-NEWS2-012: a score history holds at most " + CAPACITY
                    + " entries, not " + entries.size());
        }
    }

    /** The most recent score, if any. */
    public Optional<Entry> last() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1));
    }

    /** This history with {@code entry} added last, dropping the oldest beyond {@link #CAPACITY}. */
    public ScoreHistory append(Entry entry) {
        List<Entry> next = new ArrayList<>(entries);
        next.add(Objects.requireNonNull(entry, "entry"));
        return new ScoreHistory(next.subList(Math.max(0, next.size() - CAPACITY), next.size()));
    }
}
