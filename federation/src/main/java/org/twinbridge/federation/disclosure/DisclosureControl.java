package org.twinbridge.federation.disclosure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.twinbridge.policy.federation.DisclosureSettings;
import org.twinbridge.sdk.error.FederationErrors;
import org.twinbridge.sdk.model.AggregateTable;

/**
 * Output disclosure control: decides whether a plugin's aggregate may leave the site, and in what form. Pure: no
 * I/O, no clock; the only input besides the table is the random source for noise. Thread-safe.
 *
 * <p>In order, it refuses output that
 * <ol>
 *   <li>names contributors the plugin was not given, counts more subjects in a cell or statistic than contributed,
 *       or carries a delivered subject's pseudonym in a label (row-level, {@code TB-FED-013});</li>
 *   <li>has more rows or columns than {@code max-categories}, or a label longer than {@code max-label-chars}
 *       ({@code TB-FED-014});</li>
 *   <li>has fewer contributors than {@code min-cohort} ({@code TB-FED-011});</li>
 *   <li>has at least as many rows, or columns, as contributors, when there are two or more: a table with a line
 *       per subject is row-level data however it is labelled ({@code TB-FED-013}).</li>
 * </ol>
 * It then suppresses every count from 1 to {@code min-cell - 1} (primary), and complementary cells until, in every
 * row and column of two or more cells, the suppressed cells are at least two and add up to at least
 * {@code min-cell}: so that a requester who knows the row and column totals cannot recover a suppressed count, nor
 * learn that a few subjects sit in a small group of cells. Complements are the smallest non-zero counts of the
 * line, then zeros. Zero counts are released (as DataSHIELD does). Continuous statistics backed by fewer than
 * {@code min-cell} subjects are withheld; the others get Gaussian noise with standard deviation
 * {@code noise × |value|}.
 */
public final class DisclosureControl {

    private final DisclosureSettings settings;
    private final RandomGenerator random;

    public DisclosureControl(DisclosureSettings settings, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param table     what the plugin returned
     * @param delivered the pseudonyms of every subject whose records the plugin was given
     */
    public Verdict apply(AggregateTable table, Set<String> delivered) {
        Verdict.Refuse refused = refusal(table, delivered);
        if (refused != null) {
            return refused;
        }
        int rows = table.rows().size();
        int columns = table.columns().size();
        boolean[][] suppressed = new boolean[rows][columns];
        int primary = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                long v = table.counts().get(r).get(c);
                if (v > 0 && v < settings.minCell()) {
                    suppressed[r][c] = true;
                    primary++;
                }
            }
        }
        int complementary = complement(table.counts(), suppressed);
        List<List<Cell>> cells = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<Cell> line = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                long v = table.counts().get(r).get(c);
                line.add(!suppressed[r][c] ? new Cell.Released(v)
                        : new Cell.Suppressed(v > 0 && v < settings.minCell() ? Cell.Why.PRIMARY : Cell.Why.COMPLEMENTARY));
            }
            cells.add(line);
        }
        List<DisclosedTable.ReleasedStatistic> statistics = new ArrayList<>();
        for (AggregateTable.Statistic s : table.statistics()) {
            boolean withheld = s.n() < settings.minCell();
            statistics.add(new DisclosedTable.ReleasedStatistic(s.name(), withheld ? 0 : s.n(), withheld
                    ? OptionalDouble.empty()
                    : OptionalDouble.of(s.value() + random.nextGaussian() * settings.noise() * Math.abs(s.value()))));
        }
        return new Verdict.Release(new DisclosedTable(table.title(), table.rows(), table.columns(), cells, statistics,
                table.contributors().size()), primary, complementary);
    }

    private Verdict.Refuse refusal(AggregateTable table, Set<String> delivered) {
        int cohort = table.contributors().size();
        if (!delivered.containsAll(table.contributors())) {
            return new Verdict.Refuse(FederationErrors.FED_013, "the plugin named contributors it was not given");
        }
        for (List<Long> row : table.counts()) {
            if (row.stream().anyMatch(v -> v > cohort)) {
                return new Verdict.Refuse(FederationErrors.FED_013, "a count exceeds the number of contributing "
                        + "subjects, so the table does not count subjects");
            }
        }
        if (table.statistics().stream().anyMatch(s -> s.n() > cohort)) {
            return new Verdict.Refuse(FederationErrors.FED_013, "a statistic claims more subjects than contributed");
        }
        List<String> labels = new ArrayList<>(table.rows());
        labels.addAll(table.columns());
        table.statistics().forEach(s -> labels.add(s.name()));
        labels.add(table.title());
        for (String label : labels) {
            if (delivered.stream().anyMatch(label::contains)) {
                return new Verdict.Refuse(FederationErrors.FED_013, "a label carries a subject's pseudonym");
            }
            if (label.length() > settings.maxLabelChars()) {
                return new Verdict.Refuse(FederationErrors.FED_014, "a label is " + label.length()
                        + " characters; max-label-chars is " + settings.maxLabelChars());
            }
        }
        int most = Math.max(table.rows().size(), table.columns().size());
        if (most > settings.maxCategories()) {
            return new Verdict.Refuse(FederationErrors.FED_014, "the table has " + most + " categories on one side; "
                    + "max-categories is " + settings.maxCategories());
        }
        if (cohort < settings.minCohort()) {
            return new Verdict.Refuse(FederationErrors.FED_011, "fewer subjects contributed than min-cohort ("
                    + settings.minCohort() + ")");
        }
        if (cohort >= 2 && most >= cohort) {
            return new Verdict.Refuse(FederationErrors.FED_013, "the table has at least as many rows or columns ("
                    + most + ") as contributing subjects, which is row-level data");
        }
        return null;
    }

    /** Adds complementary suppressions until every line is protected; returns how many were added. */
    private int complement(List<List<Long>> counts, boolean[][] suppressed) {
        int rows = suppressed.length;
        int columns = rows == 0 ? 0 : suppressed[0].length;
        List<int[][]> lines = new ArrayList<>();
        if (columns >= 2) {
            for (int r = 0; r < rows; r++) {
                int[][] line = new int[columns][];
                for (int c = 0; c < columns; c++) {
                    line[c] = new int[] {r, c};
                }
                lines.add(line);
            }
        }
        if (rows >= 2) {
            for (int c = 0; c < columns; c++) {
                int[][] line = new int[rows][];
                for (int r = 0; r < rows; r++) {
                    line[r] = new int[] {r, c};
                }
                lines.add(line);
            }
        }
        int added = 0;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int[][] line : lines) {
                int hidden = 0;
                long sum = 0;
                int[] pick = null;
                long pickValue = Long.MAX_VALUE;
                for (int[] at : line) {
                    long v = counts.get(at[0]).get(at[1]);
                    if (suppressed[at[0]][at[1]]) {
                        hidden++;
                        sum += v;
                    } else {
                        // smallest non-zero first; a zero only when nothing else is left
                        long rank = v == 0 ? Long.MAX_VALUE - 1 : v;
                        if (rank < pickValue) {
                            pickValue = rank;
                            pick = at;
                        }
                    }
                }
                if (hidden == 0 || (hidden >= 2 && sum >= settings.minCell()) || pick == null) {
                    continue;
                }
                suppressed[pick[0]][pick[1]] = true;
                added++;
                changed = true;
            }
        }
        return added;
    }
}
