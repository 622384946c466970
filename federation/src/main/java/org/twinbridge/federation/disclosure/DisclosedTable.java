package org.twinbridge.federation.disclosure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table as it may leave a site: counts below the threshold and their complements replaced by
 * {@link Cell.Suppressed}, continuous statistics noised or withheld. Holds no subject and no row-level data.
 *
 * @param cohort how many subjects contributed (at least the site's minimum cohort). It is released as is: a row
 *               whose cells are all released adds up to it anyway
 */
public record DisclosedTable(String title, List<String> rows, List<String> columns, List<List<Cell>> cells,
        List<ReleasedStatistic> statistics, long cohort) {

    public DisclosedTable {
        Objects.requireNonNull(title, "title");
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
        List<List<Cell>> copy = new ArrayList<>();
        cells.forEach(r -> copy.add(List.copyOf(r)));
        cells = List.copyOf(copy);
        statistics = List.copyOf(statistics);
    }

    public Cell cell(int row, int column) {
        return cells.get(row).get(column);
    }

    /** How many cells are suppressed, of either kind. */
    public long suppressedCells() {
        return cells.stream().flatMap(List::stream).filter(c -> c instanceof Cell.Suppressed).count();
    }

    /**
     * A continuous statistic as released.
     *
     * @param n     how many subjects back it (released only when at least min-cell, else 0)
     * @param value the value with noise added, or empty if withheld because fewer than min-cell subjects back it
     */
    public record ReleasedStatistic(String name, long n, java.util.OptionalDouble value) {
        public ReleasedStatistic {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
