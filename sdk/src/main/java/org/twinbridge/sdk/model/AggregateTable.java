package org.twinbridge.sdk.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an aggregate plugin (an {@code AggregateTwinModel}) returns: a table of counts, optional continuous
 * statistics, and the subjects that contributed. The site never releases {@link #contributors()}: it uses them to
 * check the cohort size and to remember what each requester has been told (so two overlapping cohorts cannot be
 * differenced), then releases only the disclosure-controlled table. {@link #toString()} prints the shape only.
 *
 * @param title        what the table counts, one line without PHI, for example {@code projected RECIST category by
 *                     regimen}
 * @param rows         row labels (categories), for example regimen names; unique
 * @param columns      column labels (categories); unique
 * @param counts       {@code counts.get(r).get(c)} is the count for row {@code r} and column {@code c}; every count
 *                     is zero or more
 * @param statistics   continuous aggregates such as a mean change in size; may be empty
 * @param contributors the pseudonyms of the subjects counted, as delivered in {@link AuthorisedRecord#subject()}
 */
public record AggregateTable(String title, List<String> rows, List<String> columns, List<List<Long>> counts,
        List<Statistic> statistics, Set<String> contributors) {

    public AggregateTable {
        AuthorisedRecord.requireText(title, "title");
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
        if (Set.copyOf(rows).size() != rows.size() || Set.copyOf(columns).size() != columns.size()) {
            throw new IllegalArgumentException("row and column labels must be unique");
        }
        List<List<Long>> copy = new ArrayList<>();
        for (List<Long> row : counts) {
            List<Long> r = List.copyOf(row);
            if (r.size() != columns.size()) {
                throw new IllegalArgumentException("every row has one count per column (" + columns.size() + ")");
            }
            if (r.stream().anyMatch(v -> v < 0)) {
                throw new IllegalArgumentException("counts are zero or more");
            }
            copy.add(r);
        }
        if (copy.size() != rows.size()) {
            throw new IllegalArgumentException("there is one row of counts per row label (" + rows.size() + ")");
        }
        counts = List.copyOf(copy);
        statistics = List.copyOf(statistics);
        contributors = Set.copyOf(contributors);
    }

    /**
     * One continuous aggregate.
     *
     * @param name  what it is, for example {@code mean change at horizon (%) | FOLFOX}
     * @param n     how many subjects it summarises
     * @param value its value
     */
    public record Statistic(String name, long n, double value) {
        public Statistic {
            AuthorisedRecord.requireText(name, "name");
            if (n < 0 || !Double.isFinite(value)) {
                throw new IllegalArgumentException("a statistic has n >= 0 and a finite value");
            }
        }
    }

    @Override
    public String toString() {
        return "AggregateTable[" + Objects.toString(title) + ", " + rows.size() + "x" + columns.size() + ", "
                + statistics.size() + " statistics, " + contributors.size() + " contributors]";
    }
}
