package org.twinbridge.tools.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.twinbridge.tools.load.LoadGenerator;
import org.twinbridge.tools.load.LoadReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinbridge load}: feeds a node on embedded parts at a steady rate and reports memory and throughput. */
@Command(name = "load", description = "Run a node on embedded parts, feed it synthetic lab results (MLLP), device "
        + "readings (MQTT) and EHR observations (FHIR) at a steady rate, print throughput, backlog and heap after GC "
        + "every interval, then check that every acknowledged message was journalled. Exits 1 if any was lost.")
final class LoadCommand implements Callable<Integer> {

    @Option(names = "--minutes", paramLabel = "N", defaultValue = "1",
            description = "How long to feed, in minutes; fractions allowed (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "30",
            description = "Messages per second over all sources, shared equally (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--sources", paramLabel = "LIST", split = ",", defaultValue = "mllp,mqtt,fhir",
            description = "Which sources feed the node: mllp, mqtt, fhir (default: ${DEFAULT-VALUE}).")
    List<String> sources;

    @Option(names = "--storage", paramLabel = "KIND", defaultValue = "sqlite",
            description = "sqlite (in the node directory) or postgres (a throw-away database; default: "
                    + "${DEFAULT-VALUE}).")
    String storage;

    @Option(names = "--postgres", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5432",
            description = "PostgreSQL server for --storage postgres, user postgres, password from PGPASSWORD "
                    + "(default: ${DEFAULT-VALUE}).")
    String postgres;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between report rows (default: ${DEFAULT-VALUE}).")
    int intervalSeconds;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the node's directory here (must be empty or new; default: a temporary directory).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0) || !(rate > 0) || intervalSeconds < 1) {
            throw new TwinBridgeCli.BadInputException(
                    "TB-LOAD-005 --minutes and --rate must be positive and --interval at least 1");
        }
        Set<LoadGenerator.Source> chosen = EnumSet.noneOf(LoadGenerator.Source.class);
        for (String source : sources) {
            try {
                chosen.add(LoadGenerator.Source.valueOf(source.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new TwinBridgeCli.BadInputException("TB-LOAD-004 unknown source '" + source
                        + "'; expected mllp, mqtt or fhir");
            }
        }
        if (!storage.equals("sqlite") && !storage.equals("postgres")) {
            throw new TwinBridgeCli.BadInputException("TB-LOAD-007 --storage must be sqlite or postgres, not '"
                    + storage + "'");
        }
        if (dataDir != null && !LoadGenerator.usableDirectory(dataDir)) {
            throw new TwinBridgeCli.BadInputException("TB-LOAD-008 --data-dir " + dataDir
                    + " must be a new or empty directory");
        }
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("twinbridge-load") : dataDir;
        try {
            // The report is the output; the node's INFO lines would only interleave with it.
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.twinbridge"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
            LoadReport report = new LoadGenerator(System.out).run(new LoadGenerator.Options(
                    Duration.ofMillis(Math.round(minutes * 60_000)), rate, chosen,
                    storage.equals("postgres") ? postgres : null, Duration.ofSeconds(intervalSeconds), dir));
            return report.lost() == 0 ? TwinBridgeCli.OK : TwinBridgeCli.RUNTIME_FAILURE;
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
