package org.twinbridge.federation.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.policy.federation.DisclosureSettings;
import org.twinbridge.sdk.error.FederationErrors;
import org.twinbridge.sdk.model.AggregateTable;

class DisclosureControlTest {

    private static final DisclosureSettings DEFAULTS = DisclosureSettings.defaults();

    private static Set<String> subjects(int n) {
        return IntStream.range(0, n).mapToObj(i -> "subject-" + i).collect(Collectors.toSet());
    }

    private static AggregateTable table(int contributors, long[][] counts) {
        List<String> rows = new ArrayList<>();
        List<List<Long>> cells = new ArrayList<>();
        for (int r = 0; r < counts.length; r++) {
            rows.add("row" + r);
            List<Long> line = new ArrayList<>();
            for (long v : counts[r]) {
                line.add(v);
            }
            cells.add(line);
        }
        List<String> columns = IntStream.range(0, counts[0].length).mapToObj(c -> "col" + c).toList();
        return new AggregateTable("test", rows, columns, cells, List.of(), subjects(contributors));
    }

    private static Verdict apply(AggregateTable table, int delivered) {
        return new DisclosureControl(DEFAULTS, new Random(1)).apply(table, subjects(delivered));
    }

    private static DisclosedTable released(Verdict v) {
        assertThat(v).isInstanceOf(Verdict.Release.class);
        return ((Verdict.Release) v).table();
    }

    @Test
    void countsAtOrAboveTheThreshold_andZeros_areReleasedAsThey_are() {
        DisclosedTable t = released(apply(table(20, new long[][] {{5, 15, 0}, {10, 0, 10}}), 20));
        assertThat(t.cells()).allSatisfy(row -> assertThat(row).allMatch(c -> c instanceof Cell.Released));
        assertThat(t.cell(0, 0)).isEqualTo(new Cell.Released(5));
        assertThat(t.cohort()).isEqualTo(20);
    }

    @ParameterizedTest(name = "count {0} is suppressed: {1}")
    @CsvSource({"1,true", "2,true", "4,true", "5,false", "6,false", "0,false"})
    void aCountFromOneToBelowMinCell_isSuppressed(long count, boolean suppressed) {
        DisclosedTable t = released(apply(table(40, new long[][] {{count, 20}, {20, 20 - count}}), 40));
        assertThat(t.cell(0, 0) instanceof Cell.Suppressed).isEqualTo(suppressed);
    }

    @Test
    void aSuppressedCell_cannotBeRecoveredFromRowOrColumnTotals() {
        long[][] counts = {{2, 8, 10}, {9, 9, 12}, {7, 11, 6}};
        DisclosedTable t = released(apply(table(25, counts), 25));
        assertThat(t.cell(0, 0)).isEqualTo(new Cell.Suppressed(Cell.Why.PRIMARY));
        // every row and column with a suppression holds at least two, adding up to at least min-cell
        for (int r = 0; r < 3; r++) {
            assertProtected(t, counts, lineOfRow(r));
        }
        for (int c = 0; c < 3; c++) {
            assertProtected(t, counts, lineOfColumn(c));
        }
        assertThat(t.suppressedCells()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void complements_preferTheSmallestNonZeroCount() {
        long[][] counts = {{3, 0, 6, 20}, {10, 10, 10, 10}};
        DisclosedTable t = released(apply(table(40, counts), 40));
        // row 0: 3 is primary; 6 is the smallest non-zero partner (the zero is not chosen while 6 is there)
        assertThat(t.cell(0, 2)).isEqualTo(new Cell.Suppressed(Cell.Why.COMPLEMENTARY));
        assertThat(t.cell(0, 1)).isEqualTo(new Cell.Released(0));
    }

    @Test
    void aTableOfOneColumn_isProtectedThroughItsColumnTotal() {
        DisclosedTable t = released(apply(table(30, new long[][] {{3}, {12}, {15}}), 30));
        assertThat(t.cell(0, 0)).isInstanceOf(Cell.Suppressed.class);
        assertThat(t.cell(1, 0)).isEqualTo(new Cell.Suppressed(Cell.Why.COMPLEMENTARY));
        assertThat(t.cell(2, 0)).isEqualTo(new Cell.Released(15));
    }

    @Test
    void aCohortBelowMinCohort_isDeclined() {
        Verdict v = apply(table(9, new long[][] {{9, 0}, {0, 9}}), 9);
        assertThat(v).isInstanceOfSatisfying(Verdict.Refuse.class,
                r -> assertThat(r.code()).isEqualTo(FederationErrors.FED_011));
    }

    @Test
    void aTableWithALinePerSubject_isRowLevel_andRefused() {
        long[][] perSubject = new long[12][2];
        for (int i = 0; i < 12; i++) {
            perSubject[i][i % 2] = 1;
        }
        Verdict v = apply(table(12, perSubject), 12);
        assertThat(v).isInstanceOfSatisfying(Verdict.Refuse.class,
                r -> assertThat(r.code()).isEqualTo(FederationErrors.FED_013));
    }

    @Test
    void aSubjectPseudonymInALabel_isRowLevel_andRefused() {
        AggregateTable t = new AggregateTable("test", List.of("subject-3", "other"), List.of("a", "b"),
                List.of(List.of(5L, 5L), List.of(5L, 5L)), List.of(), subjects(10));
        assertThat(apply(t, 10)).isInstanceOfSatisfying(Verdict.Refuse.class,
                r -> assertThat(r.code()).isEqualTo(FederationErrors.FED_013));
    }

    @Test
    void contributorsThePluginWasNotGiven_areRefused() {
        assertThat(apply(table(12, new long[][] {{6, 6}, {6, 6}}), 11)).isInstanceOfSatisfying(Verdict.Refuse.class,
                r -> assertThat(r.code()).isEqualTo(FederationErrors.FED_013));
    }

    @Test
    void aCountAboveTheNumberOfContributors_isNotACountOfSubjects_andRefused() {
        assertThat(apply(table(10, new long[][] {{50, 6}, {6, 6}}), 10)).isInstanceOfSatisfying(Verdict.Refuse.class,
                r -> assertThat(r.code()).isEqualTo(FederationErrors.FED_013));
    }

    @Test
    void moreCategoriesThanMaxCategories_areRefused() {
        long[][] wide = new long[2][41];
        Verdict v = new DisclosureControl(DEFAULTS, new Random(1)).apply(table(100, wide), subjects(100));
        assertThat(v).isInstanceOfSatisfying(Verdict.Refuse.class,
                r -> assertThat(r.code()).isEqualTo(FederationErrors.FED_014));
    }

    @Test
    void statistics_belowMinCellAreWithheld_andOthersNoisedWhenNoiseIsOn() {
        DisclosureSettings noisy = new DisclosureSettings(5, 10, 40, 80, 0.1);
        AggregateTable t = new AggregateTable("test", List.of("a", "b"), List.of("x", "y"),
                List.of(List.of(5L, 5L), List.of(5L, 5L)),
                List.of(new AggregateTable.Statistic("mean small", 4, 10.0),
                        new AggregateTable.Statistic("mean large", 10, 100.0)), subjects(10));
        DisclosedTable out = released(new DisclosureControl(noisy, new Random(7)).apply(t, subjects(10)));
        assertThat(out.statistics().get(0).value()).isEmpty();
        double value = out.statistics().get(1).value().orElseThrow();
        assertThat(value).isNotEqualTo(100.0).isBetween(50.0, 150.0);
        DisclosedTable plain = released(new DisclosureControl(DEFAULTS, new Random(7)).apply(t, subjects(10)));
        assertThat(plain.statistics().get(1).value().orElseThrow()).isEqualTo(100.0);
    }

    @Test
    void randomTables_neverReleaseACountBelowTheThreshold_andEveryLineIsProtected() {
        Random random = new Random(42);
        for (int trial = 0; trial < 500; trial++) {
            int rows = 2 + random.nextInt(4);
            int columns = 2 + random.nextInt(4);
            long[][] counts = new long[rows][columns];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    counts[r][c] = random.nextInt(4) == 0 ? 0 : random.nextInt(15);
                }
            }
            Verdict v = apply(table(60, counts), 60);
            DisclosedTable t = released(v);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    if (t.cell(r, c) instanceof Cell.Released released) {
                        assertThat(released.count() == 0 || released.count() >= 5).isTrue();
                    }
                }
                assertProtected(t, counts, lineOfRow(r));
            }
            for (int c = 0; c < columns; c++) {
                assertProtected(t, counts, lineOfColumn(c));
            }
        }
    }

    private interface Line {
        List<int[]> cells(DisclosedTable t);
    }

    private static Line lineOfRow(int r) {
        return t -> IntStream.range(0, t.columns().size()).mapToObj(c -> new int[] {r, c}).toList();
    }

    private static Line lineOfColumn(int c) {
        return t -> IntStream.range(0, t.rows().size()).mapToObj(r -> new int[] {r, c}).toList();
    }

    /** A line with a suppression either has two or more, adding up to min-cell, or has nothing left to suppress. */
    private static void assertProtected(DisclosedTable t, long[][] counts, Line line) {
        List<int[]> cells = line.cells(t);
        Set<Integer> hidden = new HashSet<>();
        long sum = 0;
        for (int i = 0; i < cells.size(); i++) {
            int[] at = cells.get(i);
            if (t.cell(at[0], at[1]) instanceof Cell.Suppressed) {
                hidden.add(i);
                sum += counts[at[0]][at[1]];
            }
        }
        if (hidden.isEmpty() || cells.size() < 2) {
            return;
        }
        boolean allHidden = hidden.size() == cells.size();
        assertThat(allHidden || (hidden.size() >= 2 && sum >= 5)).as("line protected").isTrue();
    }
}
