package org.twinbridge.federation.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.twinbridge.federation.disclosure.Cell;
import org.twinbridge.federation.disclosure.DisclosedTable;

/**
 * The sites' released tables added up, cell by cell. A cell that some site suppressed is pooled from the sites
 * that released it and marked with the sites that did not, so it reads as a lower bound, never as a total.
 * Tables are pooled only if their rows and columns are the same; a site whose table differs in shape is left out
 * and named.
 */
public record PooledTable(String title, List<String> rows, List<String> columns, List<List<PooledCell>> cells,
        List<PooledStatistic> statistics, long cohort, List<String> sites, List<String> mismatched) {

    public PooledTable {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
        List<List<PooledCell>> copy = new ArrayList<>();
        cells.forEach(r -> copy.add(List.copyOf(r)));
        cells = List.copyOf(copy);
        statistics = List.copyOf(statistics);
        sites = List.copyOf(sites);
        mismatched = List.copyOf(mismatched);
    }

    /**
     * A continuous statistic pooled as the mean of the sites' released values weighted by their n; sites that
     * withheld it are named and left out.
     */
    public record PooledStatistic(String name, long n, java.util.OptionalDouble mean, List<String> withheldAt) {
        public PooledStatistic {
            withheldAt = List.copyOf(withheldAt);
        }
    }

    /**
     * One pooled cell.
     *
     * @param released     the sum of the counts the sites released for it
     * @param suppressedAt the sites that suppressed it (empty: {@code released} is the exact pooled count)
     */
    public record PooledCell(long released, List<String> suppressedAt) {
        public PooledCell {
            suppressedAt = List.copyOf(suppressedAt);
        }

        public boolean exact() {
            return suppressedAt.isEmpty();
        }

        @Override
        public String toString() {
            return exact() ? Long.toString(released) : (released == 0 ? "*" : ">=" + released + "*");
        }
    }

    /** Pools the tables by site name; empty input gives an empty table. */
    public static PooledTable pool(Map<String, DisclosedTable> bySite) {
        Map<String, DisclosedTable> tables = new TreeMap<>(bySite);
        if (tables.isEmpty()) {
            return new PooledTable("", List.of(), List.of(), List.of(), List.of(), 0, List.of(), List.of());
        }
        DisclosedTable first = tables.values().iterator().next();
        List<String> rows = first.rows();
        List<String> columns = first.columns();
        long[][] sums = new long[rows.size()][columns.size()];
        List<List<List<String>>> suppressed = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<List<String>> line = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                line.add(new ArrayList<>());
            }
            suppressed.add(line);
        }
        List<String> sites = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        long cohort = 0;
        for (Map.Entry<String, DisclosedTable> e : tables.entrySet()) {
            DisclosedTable t = e.getValue();
            if (!t.rows().equals(rows) || !t.columns().equals(columns)) {
                mismatched.add(e.getKey());
                continue;
            }
            sites.add(e.getKey());
            cohort += t.cohort();
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < columns.size(); c++) {
                    if (t.cell(r, c) instanceof Cell.Released released) {
                        sums[r][c] += released.count();
                    } else {
                        suppressed.get(r).get(c).add(e.getKey());
                    }
                }
            }
        }
        List<List<PooledCell>> cells = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<PooledCell> line = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                line.add(new PooledCell(sums[r][c], suppressed.get(r).get(c)));
            }
            cells.add(line);
        }
        Map<String, double[]> weighted = new java.util.LinkedHashMap<>();
        Map<String, List<String>> withheld = new java.util.LinkedHashMap<>();
        for (String site : sites) {
            for (DisclosedTable.ReleasedStatistic s : tables.get(site).statistics()) {
                double[] acc = weighted.computeIfAbsent(s.name(), n -> new double[2]);
                withheld.computeIfAbsent(s.name(), n -> new ArrayList<>());
                if (s.value().isPresent() && s.n() > 0) {
                    acc[0] += s.value().getAsDouble() * s.n();
                    acc[1] += s.n();
                } else {
                    withheld.get(s.name()).add(site);
                }
            }
        }
        List<PooledStatistic> statistics = new ArrayList<>();
        weighted.forEach((name, acc) -> statistics.add(new PooledStatistic(name, (long) acc[1], acc[1] == 0
                ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(acc[0] / acc[1]),
                withheld.get(name))));
        return new PooledTable(first.title(), rows, columns, cells, statistics, cohort, sites, mismatched);
    }
}
