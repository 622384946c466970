package org.twinbridge.tools.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.twinbridge.tools.bench.Bench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinbridge bench}: the end-to-end and comparison benchmarks of BENCHMARKS.md, in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure the pipeline end to end (SQLite and PostgreSQL), against its limit "
        + "(bare loops) and the usual alternative (HAPI RestfulServer + ConsentInterceptor), MQTT latency, "
        + "scaling, memory and node start, side by side in one run; prints a table, the ratios and the targets.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Small sizes, for a smoke test (minutes; more on a loaded machine): "
            + "the numbers are indicative only.")
    boolean quick;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "../shared/data/synthea-r4",
            description = "Folder of Synthea R4 Bundles (default: ${DEFAULT-VALUE}); without it, the demo's five "
                    + "bundled patients.")
    Path data;

    @Option(names = "--records", paramLabel = "N", defaultValue = "0",
            description = "Use N workload records, taken evenly across the mix (default: all; --quick: 600).")
    int records;

    @Option(names = "--scaling-records", paramLabel = "N",
            description = "Workload records for each scaling run (default: 1000; --quick: 50).")
    Integer scalingRecords;

    @Option(names = "--memory-patients", paramLabel = "LIST", split = ",",
            description = "Patient counts for the memory curve (default: 1000,10000,100000; --quick: 100,300).")
    List<Integer> memoryPatients;

    @Option(names = "--latency-rate", paramLabel = "N",
            description = "Readings per second for the latency part (default: 1000; --quick: 100).")
    Integer latencyRate;

    @Option(names = "--mqtt-broker", paramLabel = "URL",
            description = "MQTT broker for the latency part, e.g. tcp://127.0.0.1:1883 (default: an embedded "
                    + "Moquette broker).")
    String mqttBroker;

    @Option(names = "--parts", paramLabel = "LIST", split = ",",
            description = "Which parts to run, of: start, limit, e2e, hapi, latency, mllp, scaling, memory, scaleout "
                    + "(default: all; scaleout needs --kafka).")
    List<String> parts;

    @Option(names = "--kafka", paramLabel = "HOST:PORT",
            description = "Kafka broker for the scaleout part (docs/scale-out.md starts one); without it the part "
                    + "is skipped.")
    String kafka;

    @Option(names = "--scaleout-records", paramLabel = "N",
            description = "Records of the scaleout part (default: 20000; --quick: 2000).")
    Integer scaleOutRecords;

    @Option(names = "--postgres", paramLabel = "URL", defaultValue = "jdbc:postgresql://127.0.0.1:5432/",
            description = "PostgreSQL server (user postgres, trust authentication) for the PostgreSQL run; a "
                    + "database is created and dropped (default: ${DEFAULT-VALUE}).")
    String postgres;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the benchmark's databases go (default: a temporary directory, deleted after).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        Set<String> selected = parts == null ? Bench.Options.ALL_PARTS : new LinkedHashSet<>(parts);
        for (String part : selected) {
            if (!Bench.Options.ALL_PARTS.contains(part)) {
                throw new TwinBridgeCli.BadInputException("TB-BENCH-030 unknown part '" + part + "'; use "
                        + String.join(", ", List.of("start", "limit", "e2e", "hapi", "latency", "mllp", "scaling", "memory",
                                "scaleout")));
            }
        }
        if (records < 0 || (scalingRecords != null && scalingRecords < 1)
                || (memoryPatients != null && memoryPatients.stream().anyMatch(n -> n < 1))
                || (latencyRate != null && (latencyRate < 1 || latencyRate > 100_000))) {
            throw new TwinBridgeCli.BadInputException("TB-BENCH-031 --records must be 0 (all) or more; "
                    + "--scaling-records and --memory-patients must be at least 1; --latency-rate 1 to 100000");
        }
        if (!postgres.endsWith("/")) {
            postgres = postgres + "/";
        }
        boolean temporary = workDir == null;
        Path dir = temporary ? Files.createTempDirectory("twinbridge-bench") : workDir;
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.twinbridge"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.camel"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        try {
            Bench.Options sizes = Bench.Options.of(data, dir, quick, postgres, selected);
            new Bench(System.out, new Bench.Options(data, dir, quick, postgres, selected,
                    records == 0 ? sizes.recordLimit() : records,
                    scalingRecords == null ? sizes.scalingRecords() : scalingRecords,
                    memoryPatients == null ? sizes.memoryPatients() : memoryPatients,
                    latencyRate == null ? sizes.latencyRate() : latencyRate, mqttBroker, kafka,
                    scaleOutRecords == null ? sizes.scaleOutRecords() : scaleOutRecords)).run();
            return TwinBridgeCli.OK;
        } finally {
            if (temporary) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }
}
