package org.twinbridge.tools.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.twinbridge.tools.demo.DemoRun;
import org.twinbridge.tools.demo.FederatedDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinbridge demo}: a whole node on embedded parts, with the example plugins. */
@Command(name = "demo", description = "Run a complete node on embedded parts (FHIR server, SQLite, example "
        + "plugins), print live progress and a final report, then exit.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "120",
            description = "Upper bound on the run time in seconds (default: ${DEFAULT-VALUE}); the demo ends "
                    + "earlier once every record has been processed.")
    int seconds;

    @Option(names = "--patients", paramLabel = "N", defaultValue = "5",
            description = "Synthetic patients to load into the embedded EHR, 1-5 (default: ${DEFAULT-VALUE}).")
    int patients;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the node's data here (default: a temporary directory, deleted afterwards).")
    Path dataDir;

    @Option(names = "--federated", description = "Instead: three sites and a coordinator on loopback run the "
            + "federated in-silico trial over mutual TLS and print each site's decision and the pooled, "
            + "disclosure-controlled result.")
    boolean federated;

    @Override
    public Integer call() throws Exception {
        if (federated) {
            return federated();
        }
        if (seconds < 1 || patients < 1 || patients > 5) {
            throw new TwinBridgeCli.BadInputException(
                    "TB-DEMO-003 --seconds must be at least 1 and --patients between 1 and 5");
        }
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("twinbridge-demo") : dataDir;
        try {
            // The demo prints its own progress; the node's INFO lines would only interleave with it.
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.twinbridge"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
            DemoRun.Result result = new DemoRun(System.out).run(dir, temporary, patients, Duration.ofSeconds(seconds));
            return result.refusedPlugins().isEmpty() ? TwinBridgeCli.OK : TwinBridgeCli.RUNTIME_FAILURE;
        } finally {
            if (temporary) {
                deleteRecursively(dir);
            }
        }
    }

    private Integer federated() throws Exception {
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("twinbridge-federated") : dataDir;
        try {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.twinbridge"))
                    .setLevel(ch.qos.logback.classic.Level.ERROR);
            boolean allReleased = new FederatedDemo(System.out).run(dir);
            if (temporary) {
                System.out.println("(The sites' data, audit trails included, were in a temporary directory, now "
                        + "deleted; pass --data-dir DIR to keep them.)");
            }
            return allReleased ? TwinBridgeCli.OK : TwinBridgeCli.RUNTIME_FAILURE;
        } finally {
            if (temporary) {
                deleteRecursively(dir);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
