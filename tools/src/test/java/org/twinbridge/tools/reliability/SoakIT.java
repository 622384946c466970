package org.twinbridge.tools.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.tools.load.LoadGenerator;
import org.twinbridge.tools.load.LoadReport;
import org.twinbridge.tools.load.Reconciliation;

/**
 * The short soak CI runs: the load generator feeds a node from all three sources for about a minute (override
 * with {@code -Dtwinbridge.soak.seconds=N}). Nothing acknowledged may be lost, and the heap after GC must not
 * grow across the run beyond a generous bound: a leak detector, not a timing assertion. The 30-minute run in
 * docs/reliability.md is {@code twinbridge load --minutes 30}.
 */
class SoakIT {

    private static final long SECONDS = Long.getLong("twinbridge.soak.seconds", 60);
    /** Generous: a leak shows as steady growth interval after interval, far beyond this over a long run. */
    private static final long HEAP_GROWTH_BOUND = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void steadyLoad_losesNothing_andHeapAfterGcStaysFlat() throws Exception {
        LoadReport report = new LoadGenerator(System.out).run(new LoadGenerator.Options(Duration.ofSeconds(SECONDS),
                15, EnumSet.allOf(LoadGenerator.Source.class), null, Duration.ofSeconds(5), dir.resolve("node")));

        assertThat(report.sources()).hasSize(3).allSatisfy(s -> {
            assertThat(s.acknowledged()).as("%s acknowledged messages", s.source()).isPositive();
            assertThat(s.missing()).as("%s: acknowledged but not journalled", s.source()).isEmpty();
        });
        assertThat(report.sources()).extracting(Reconciliation.SourceResult::lost).containsOnly(0L);
        assertThat(report.intervals()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(report.heapGrowth()).as("heap after GC, last third minus first third, bytes")
                .isLessThan(HEAP_GROWTH_BOUND);
    }
}
