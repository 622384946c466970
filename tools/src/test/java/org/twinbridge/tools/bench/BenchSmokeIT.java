package org.twinbridge.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.testing.TestDatabases;

/**
 * {@code twinbridge bench --quick} runs every part and reports each with sane values. No timing assertions: only
 * that every section is there, every measurement is positive and finite, and the ratios were computed.
 */
class BenchSmokeIT {

    @Test
    void quickBench_reportsEverySection_withPositiveValues(@TempDir Path work) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        // No --data folder: the demo's bundled Synthea patients, so the test needs nothing outside the repository.
        Bench.Options quick = Bench.Options.of(work.resolve("no-such-folder"), work.resolve("bench"), true,
                "jdbc:postgresql://" + TestDatabases.PG_HOST + "/", Bench.Options.ALL_PARTS);
        Bench.Options options = new Bench.Options(quick.data(), quick.workDir(), true, quick.postgres(),
                quick.parts(), 120, 20, List.of(50, 100), quick.latencyRate(), null, null, quick.scaleOutRecords());

        BenchReport report = new Bench(new PrintStream(printed, true, StandardCharsets.UTF_8), options).run();

        Map<String, List<BenchReport.Row>> sections = report.rows().stream()
                .collect(Collectors.groupingBy(BenchReport.Row::section));
        assertThat(sections).containsKeys("start", "limit", "e2e", "hapi-consent", "latency", "mllp", "scaling",
                "memory");
        assertThat(report.rows()).allSatisfy(row -> assertThat(row.value()).as(row.measurement())
                .isPositive().isFinite());
        assertThat(sections.get("limit")).hasSize(2);
        assertThat(sections.get("latency")).extracting(BenchReport.Row::measurement)
                .anyMatch(m -> m.startsWith("p50")).contains("p99", "p99.9", "max");
        // plugins 1, 10, 50 and unrelated rules 10, 100, 1,000
        assertThat(sections.get("scaling")).hasSize(6);
        assertThat(report.ratios()).extracting(BenchReport.Ratio::name)
                .contains("pipeline (SQLite) / limit", "TwinBridge (SQLite) / HAPI-consent");
        assertThat(report.ratios()).allSatisfy(r -> assertThat(r.value()).isPositive().isFinite());
        if (Boolean.parseBoolean(System.getenv("TWINBRIDGE_REQUIRE_SERVICES"))) {
            assertThat(sections.get("e2e")).extracting(BenchReport.Row::measurement)
                    .anyMatch(m -> m.startsWith("PostgreSQL"));
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Ratios (measured in this run", "Targets (issues #10 and #18)", "[e2e]", "[hapi]",
                "[latency]", "[mllp]", "[scaling]", "[memory]", "[start]", "[limit]");
    }
}
