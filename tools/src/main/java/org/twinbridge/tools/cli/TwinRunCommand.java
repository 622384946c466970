package org.twinbridge.tools.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.twinbridge.policy.model.PurposeOfUse;
import org.twinbridge.tools.demo.BundledFiles;
import org.twinbridge.runtime.plugin.isolation.IsolatingPluginManager;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.testing.Delivery;
import org.twinbridge.sdk.testing.FhirRecords;
import org.twinbridge.sdk.testing.HarnessRun;
import org.twinbridge.sdk.testing.TwinHarness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code twin run}: feeds FHIR files to one plugin through the vendor test harness, in effective-time order, and
 * prints its outputs as NDJSON on stdout; progress and a summary go to stderr. The plugin is loaded as a node
 * loads it (its own class loader that sees only the SDK), but its signature is not checked: this is a
 * development tool that never touches a node's data or keys.
 */
@Command(name = "run", description = "Run a twin plugin over FHIR files without a node; print its outputs as "
        + "NDJSON FHIR resources.")
final class TwinRunCommand implements Callable<Integer> {

    @Option(names = "--plugin", required = true, paramLabel = "ID|JAR",
            description = "A plugin id (looked up in --plugins-dir, default the bundled example plugins) or the path "
                    + "of a plugin jar.")
    String plugin;

    @Option(names = "--records", required = true, arity = "1..*", paramLabel = "FILE",
            description = "FHIR R4 JSON files: resources, Bundles or NDJSON. Records are fed in order of effective "
                    + "time.")
    List<Path> records = new ArrayList<>();

    @Option(names = "--policies", paramLabel = "DIR",
            description = "A policy directory to decide with. Without it the plugin gets what its manifest requests "
                    + "(baseline projection, pseudonymised).")
    Path policies;

    @Option(names = "--purpose", paramLabel = "CODE",
            description = "PurposeOfUse to act under, e.g. TREAT (default: the manifest's first purpose).")
    String purpose;

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "Where to look up --plugin ID (default: the plugins bundled with TwinBridge).")
    Path pluginsDir;

    @Option(names = "--consent-given", description = "Treat the patient's consent as given, for rules that "
            + "require consent (default: no consent, so such rules deny).")
    boolean consentGiven;

    @Override
    public Integer call() throws Exception {
        if (purpose != null && !PurposeOfUse.isKnown(purpose)) {
            throw new TwinBridgeCli.BadInputException("TB-POLICY-003 unknown purpose of use '" + purpose
                    + "'; expected an HL7 v3 PurposeOfUse code such as TREAT, HRESCH, HOPERAT, PUBHLTH");
        }
        PrintStream err = System.err;
        Path work = Files.createTempDirectory("twinbridge-twin-run");
        try {
            Path jar = resolveJar(work);
            PluginManager manager = new IsolatingPluginManager(Files.createDirectories(work.resolve("loaded")));
            Files.copy(jar, work.resolve("loaded").resolve(jar.getFileName()));
            try {
                return run(manager, jar, err);
            } finally {
                manager.stopPlugins();
                manager.unloadPlugins();
            }
        } finally {
            deleteTree(work);
        }
    }

    private int run(PluginManager manager, Path jar, PrintStream err) throws Exception {
        manager.loadPlugins();
        manager.startPlugins();
        List<PluginWrapper> loaded = manager.getPlugins();
        if (loaded.size() != 1 || loaded.get(0).getPluginState() != PluginState.STARTED) {
            throw new TwinBridgeCli.BadInputException("TB-TWIN-002 " + jar + " is not a loadable pf4j plugin jar "
                    + "(it needs Plugin-Id and Plugin-Version in its manifest, and must start)");
        }
        PluginWrapper wrapper = loaded.get(0);
        List<TwinModel> models = manager.getExtensions(TwinModel.class, wrapper.getPluginId());
        if (models.isEmpty()) {
            throw new TwinBridgeCli.BadInputException("TB-TWIN-002 plugin " + wrapper.getPluginId() + " (" + jar
                    + ") contains no TwinModel extension");
        }
        TwinHarness.Builder builder = TwinHarness.forPlugin(models.get(0));
        if (policies != null) {
            builder.policies(policies);
        }
        if (purpose != null) {
            builder.purpose(purpose);
        }
        if (consentGiven) {
            builder.consent(org.twinbridge.policy.explain.ConsentCheck.given());
        }
        TwinHarness harness = builder.build();
        List<org.hl7.fhir.r4.model.Resource> input;
        try {
            input = FhirRecords.read(ca.uhn.fhir.context.FhirContext.forR4Cached(), records);
        } catch (FhirRecords.RecordFileException e) {
            throw new TwinBridgeCli.BadInputException("TB-TWIN-003 " + e.getMessage());
        }
        err.printf("twin run: %s %s, purpose %s, %s; feeding %d record(s) from %d file(s) in effective-time order "
                + "(in process, for testing only: a node runs the plugin in its own sandboxed process)%n",
                harness.manifest().id(), harness.manifest().version(), harness.purpose(),
                harness.hasPolicies() ? "policies " + policies : "no policies (what the manifest requests)",
                input.size(), records.size());
        HarnessRun result;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(models.get(0).getClass().getClassLoader());
        try {
            result = harness.feed(input);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        harness.ndjson(result).forEach(out::println);
        out.flush();
        report(result, err);
        return result.count(Delivery.Outcome.FAILED) > 0 ? TwinBridgeCli.RUNTIME_FAILURE : TwinBridgeCli.OK;
    }

    private static void report(HarnessRun result, PrintStream err) {
        err.printf("twin run: %d delivered, %d denied, %d not requested, %d failed; %d output(s)%n",
                result.count(Delivery.Outcome.DELIVERED), result.count(Delivery.Outcome.DENIED),
                result.count(Delivery.Outcome.NOT_REQUESTED), result.count(Delivery.Outcome.FAILED),
                result.outputs().size());
        Map<String, Integer> reasons = new TreeMap<>();
        result.deliveries().stream().filter(d -> d.outcome() == Delivery.Outcome.DENIED)
                .forEach(d -> reasons.merge(d.reason().orElse("denied"), 1, Integer::sum));
        reasons.forEach((reason, n) -> err.printf("  denied %d: %s%n", n, reason));
        result.deliveries().stream().filter(d -> d.outcome() == Delivery.Outcome.FAILED).forEach(d -> err.printf(
                "  TB-TWIN-004 record #%d (%s) failed in the plugin: %s; its state writes and outputs were dropped%n",
                d.input() + 1, d.resourceType(), d.reason().orElse("")));
    }

    /** The jar to load: a path, or the jar in the plugins directory whose Plugin-Id is the given id. */
    private Path resolveJar(Path work) throws IOException, TwinBridgeCli.BadInputException {
        Path asPath = Path.of(plugin);
        if (plugin.endsWith(".jar") || Files.isRegularFile(asPath)) {
            if (!Files.isRegularFile(asPath)) {
                throw new TwinBridgeCli.BadInputException("TB-TWIN-001 plugin jar " + plugin + " does not exist");
            }
            return asPath;
        }
        Path dir = pluginsDir;
        if (dir == null) {
            dir = work.resolve("bundled");
            BundledFiles.extract("bundled-plugins", dir);
        }
        Map<String, Path> byId = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                    pluginId(file).ifPresent(id -> byId.putIfAbsent(id, file));
                }
            }
        }
        Path jar = byId.get(plugin);
        if (jar == null) {
            throw new TwinBridgeCli.BadInputException("TB-TWIN-001 no plugin '" + plugin + "' in "
                    + (pluginsDir == null ? "the bundled plugins" : pluginsDir.toString()) + "; available: "
                    + (byId.isEmpty() ? "none" : String.join(", ", byId.keySet()))
                    + " (or pass the path of a plugin jar)");
        }
        return jar;
    }

    private static java.util.Optional<String> pluginId(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() == null ? java.util.Optional.empty()
                    : java.util.Optional.ofNullable(file.getManifest().getMainAttributes().getValue("Plugin-Id"));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory; the OS cleans it up eventually.
        }
    }
}
