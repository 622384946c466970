package org.twinbridge.tools.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What a load run measured: one row per interval, and at the end what each source had acknowledged and whether
 * all of it reached the journal.
 *
 * @param storage     "SQLite" or "PostgreSQL"
 * @param rate        messages a second asked for, over all sources
 * @param intervals   the interval rows, in order
 * @param sources     per source: acknowledged, found in the journal, lost
 * @param deliveredByPlugin records delivered to each plugin (its cursor's delivered counter)
 * @param elapsed     wall time of the feeding
 */
public record LoadReport(String storage, double rate, List<Interval> intervals, List<Reconciliation.SourceResult> sources,
        Map<String, Long> deliveredByPlugin, Duration elapsed) {

    public LoadReport {
        intervals = List.copyOf(intervals);
        sources = List.copyOf(sources);
        deliveredByPlugin = Map.copyOf(deliveredByPlugin);
    }

    /**
     * One interval's measurements.
     *
     * @param at            time since the feeds started
     * @param acknowledged  messages acknowledged by all sources so far
     * @param journalled    the journal head (records journalled so far, this run and any before)
     * @param delivered     records delivered so far, over all plugins
     * @param ratePerSecond records journalled per second during this interval
     * @param backlog       journal head minus the slowest plugin's cursor
     * @param heapAfterGc   heap used right after a full collection, in bytes
     */
    public record Interval(Duration at, long acknowledged, long journalled, long delivered, double ratePerSecond,
            long backlog, long heapAfterGc) {
    }

    /** Records lost over all sources: acknowledged but not in the journal. */
    public long lost() {
        return sources.stream().mapToLong(Reconciliation.SourceResult::lost).sum();
    }

    /**
     * How much the heap after GC grew from the first third of the run to the last third, in bytes: the median of
     * the last third minus the median of the first third (the first interval, the warm-up, left out). Zero or
     * negative for a flat heap; only meaningful with six or more intervals.
     */
    public long heapGrowth() {
        List<Interval> rows = intervals.size() > 3 ? intervals.subList(1, intervals.size()) : intervals;
        if (rows.size() < 3) {
            return 0;
        }
        int third = rows.size() / 3;
        return median(rows.subList(rows.size() - third, rows.size())) - median(rows.subList(0, third));
    }

    private static long median(List<Interval> rows) {
        List<Long> heaps = rows.stream().map(Interval::heapAfterGc).sorted(Comparator.naturalOrder()).toList();
        return heaps.get(heaps.size() / 2);
    }

    public long maxBacklog() {
        return intervals.stream().mapToLong(Interval::backlog).max().orElse(0);
    }

    /** The header of the interval table. */
    public static String header() {
        return String.format("%8s %12s %11s %10s %9s %8s %14s", "time", "acknowledged", "journalled", "delivered",
                "rec/s", "backlog", "heap after GC");
    }

    public static String row(Interval i) {
        return String.format("%7ds %12d %11d %10d %9.1f %8d %11.1f MB", i.at().toSeconds(), i.acknowledged(),
                i.journalled(), i.delivered(), i.ratePerSecond(), i.backlog(), i.heapAfterGc() / 1048576.0);
    }

    /** The final table. */
    public void print(PrintStream out) {
        out.printf("%nLoad run: %s storage, %.1f messages/s asked for, %d s of feeding%n", storage, rate,
                elapsed.toSeconds());
        out.printf("%-10s %-10s %13s %11s %6s%n", "source", "connector", "acknowledged", "journalled", "lost");
        for (Reconciliation.SourceResult s : sources) {
            out.printf("%-10s %-10s %13d %11d %6d%n", s.source(), s.connectorId(), s.acknowledged(), s.found(),
                    s.lost());
        }
        deliveredByPlugin.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.printf("delivered to %-20s %10d%n", e.getKey(), e.getValue()));
        LongSummary heap = LongSummary.of(intervals.stream().mapToLong(Interval::heapAfterGc).toArray());
        out.printf("heap after GC: min %.1f MB, max %.1f MB, last %.1f MB; growth first third -> last third %+.1f MB%n",
                heap.min / 1048576.0, heap.max / 1048576.0, heap.last / 1048576.0, heapGrowth() / 1048576.0);
        out.printf("largest backlog: %d records; lost: %d%n", maxBacklog(), lost());
    }

    private record LongSummary(long min, long max, long last) {
        static LongSummary of(long[] values) {
            if (values.length == 0) {
                return new LongSummary(0, 0, 0);
            }
            return new LongSummary(java.util.Arrays.stream(values).min().getAsLong(),
                    java.util.Arrays.stream(values).max().getAsLong(), values[values.length - 1]);
        }
    }
}
