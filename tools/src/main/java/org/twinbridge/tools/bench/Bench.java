package org.twinbridge.tools.bench;

import java.time.Clock;
import ca.uhn.fhir.context.FhirContext;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * {@code twinbridge bench}: every measurement of issue #10 in one run, on one machine, so the ratios compare
 * like with like. Each part prints a progress line while it runs; the report is one table, the ratios and the
 * targets. Nothing here asserts on time.
 */
public final class Bench {

    /** What to run and how big. */
    public record Options(Path data, Path workDir, boolean quick, String postgres, Set<String> parts,
            int recordLimit, int scalingRecords, List<Integer> memoryPatients, int latencyRate, String mqttBroker,
            String kafka, int scaleOutRecords) {
        public Options {
            parts = Set.copyOf(parts);
            memoryPatients = List.copyOf(memoryPatients);
        }

        /** The sizes of {@code --quick} (a smoke test) or of a full run, with the parts given. */
        public static Options of(Path data, Path workDir, boolean quick, String postgres, Set<String> parts) {
            // --quick is a smoke test: a reading rate any machine keeps up with.
            return new Options(data, workDir, quick, postgres, parts, quick ? 600 : 0, quick ? 50 : 1000,
                    quick ? List.of(100, 300) : List.of(1000, 10_000, 100_000), quick ? 100 : 1000, null, null,
                    quick ? 2_000 : 20_000);
        }

        public static final Set<String> ALL_PARTS = Set.of("start", "limit", "e2e", "hapi", "latency", "mllp",
                "scaling", "memory", "scaleout");
    }

    private static final int PLUGINS = 3;
    /** Lab connections of the mllp part: issue 18's twenty concurrent lab systems. */
    private static final int LAB_CONNECTIONS = 20;
    private static final int LIMIT_THREADS = 2;
    private final PrintStream out;
    private final Options options;
    private final FhirContext fhir = FhirContext.forR4Cached();

    public Bench(PrintStream out, Options options) {
        this.out = out;
        this.options = options;
    }

    /** Runs the selected parts and prints the report; returns it for tests. */
    public BenchReport run() throws Exception {
        BenchReport report = new BenchReport(out);
        Files.createDirectories(options.workDir());
        char[] password = "bench-keystore-password".toCharArray();
        String machine = machine();
        out.println("TwinBridge bench" + (options.quick() ? " --quick" : "") + " on " + machine);

        StartRun.Result start = null;
        if (wants("start")) {
            out.println("[start] node start: config to ready, 3 signed plugins, demo policy set, SQLite, no connectors");
            start = StartRun.run(options.workDir().resolve("start"));
            report.add("start", "first start in this JVM (class loading, migration)", start.firstMillis(), "ms");
            report.add("start", "restart", start.restartMillis(), "ms");
        }
        BenchRecords data = BenchRecords.load(options.data(), fhir);
        if (options.recordLimit() > 0) {
            data = data.sample(options.recordLimit());
        }
        List<CanonicalRecord> records = data.records();
        List<String> json = data.json();
        out.printf("workload: %,d records (%s) from %s%n", records.size(), data.mix(), data.source());
        report.note("workload: " + String.format("%,d", records.size()) + " records (" + data.mix() + ") from "
                + data.source());
        NodeKeys keys = NodeKeys.init(options.workDir().resolve("keys-" + UUID.randomUUID() + ".p12"), password,
                "bench", Clock.systemUTC());

        double hapiLimit = 0;
        double jacksonLimit = 0;
        if (wants("limit")) {
            out.println("[limit] bare loop: parse once, encrypt once, project + serialise once per plugin ("
                    + PLUGINS + " plugins, " + LIMIT_THREADS + " threads)");
            int passes = options.quick() ? 1 : 3;
            hapiLimit = LimitLoop.run(LimitLoop.Variant.HAPI_MODEL, json, PLUGINS, LIMIT_THREADS, passes);
            jacksonLimit = LimitLoop.run(LimitLoop.Variant.JACKSON_TREE, json, PLUGINS, LIMIT_THREADS, passes);
            report.add("limit", "bare loop on HAPI's model", hapiLimit, "rec/s");
            report.add("limit", "bare loop on a Jackson tree", jacksonLimit, "rec/s");
        }

        double embedded = 0;
        double pg = 0;
        if (wants("e2e")) {
            out.println("[e2e] journal commit to delivery, " + PLUGINS + " recorder plugins, demo policy set + "
                    + "their rules, encryption on");
            embedded = endToEnd(report, keys, "SQLite", embeddedUrl("e2e"), data.patients(), records, PLUGINS, 0);
            String pgUrl = createPostgres();
            if (pgUrl == null) {
                report.note("PostgreSQL at " + options.postgres() + " is not reachable: its end-to-end row is "
                        + "missing");
            } else {
                try {
                    pg = endToEnd(report, keys, "PostgreSQL", pgUrl, data.patients(), records, PLUGINS, 0);
                } finally {
                    dropPostgres(pgUrl);
                }
            }
            out.println("[e2e] the halves apart: journal the workload with no dispatch running, then dispatch the "
                    + "backlog to the " + PLUGINS + " plugins with nothing being journalled");
            halves(report, keys, "SQLite", embeddedUrl("halves"), data.patients(), records);
            String halvesUrl = createPostgres();
            if (halvesUrl != null) {
                try {
                    halves(report, keys, "PostgreSQL", halvesUrl, data.patients(), records);
                } finally {
                    dropPostgres(halvesUrl);
                }
            }
        }

        double hapiConsent = 0;
        if (wants("hapi")) {
            out.println("[hapi] HAPI RestfulServer + ConsentInterceptor masking the same elements, "
                    + PLUGINS + " recipients' clients paging");
            hapiConsent = HapiConsentRun.run(records, PLUGINS, new Progress(out, "HAPI consent"));
            report.add("hapi-consent", "records served, masked, to all " + PLUGINS + " recipients", hapiConsent,
                    "rec/s");
        }

        LatencyRun.Result latency = null;
        if (wants("latency")) {
            int rate = options.latencyRate();
            int seconds = options.quick() ? 2 : 10;
            out.printf("[latency] MQTT publish to onRecord at %,d readings/s for %d s (after 1 s warm-up)%n", rate,
                    seconds);
            LatencyRun.LatencyProbe probe = new LatencyRun.LatencyProbe();
            List<Subscriber> subscribers = List.of(subscriber(new RecorderTwin("recorder-1", probe)));
            try (BenchPipeline pipeline = BenchPipeline.open(embeddedUrl("latency"), keys,
                    policies("latency", 1, 0), subscribers)) {
                latency = LatencyRun.run(pipeline, options.mqttBroker(), "latency-patient", rate, seconds,
                        new Progress(out, "latency"));
            } catch (Exception e) {
                // One part failing must not lose the others' measurements.
                report.note("latency part failed: " + e.getClass().getName() + " " + e.getMessage());
                out.println("  latency part failed: " + e.getClass().getName());
            }
        }
        if (latency != null) {
            report.add("latency", String.format("p50 (%,d of %,d readings arrived within 30 s, %,d/s, SQLite, %s)",
                    latency.samples(), latency.expected(), latency.rate(),
                    options.mqttBroker() == null ? "embedded Moquette" : options.mqttBroker()), latency.p50(), "ms");
            report.add("latency", "p99", latency.p99(), "ms");
            report.add("latency", "p99.9", latency.p999(), "ms");
            report.add("latency", "max", latency.max(), "ms");
            LatencyRun.Percentiles ingest = latency.committed();
            report.add("latency", String.format("ingest: publish to journal commit, p50 (%,d committed)",
                    ingest.samples()), ingest.p50(), "ms");
            report.add("latency", "ingest: p99", ingest.p99(), "ms");
            report.add("latency", "ingest: max", ingest.max(), "ms");
        }

        MllpRun.Result mllp = null;
        if (wants("mllp")) {
            int seconds = options.quick() ? 3 : 15;
            out.printf("[mllp] %d lab connections send ORU^R01 over MLLP, each waiting for its AA (after the commit), "
                    + "for %d s%n", LAB_CONNECTIONS, seconds);
            try (BenchPipeline pipeline = BenchPipeline.open(embeddedUrl("mllp"), keys, policies("mllp", 1, 0),
                    recorders(1))) {
                mllp = MllpRun.run(pipeline, LAB_CONNECTIONS, seconds, new Progress(out, "mllp"));
                report.add("mllp", String.format("%d connections, AA after commit (%,d AA, %,d not AA, SQLite)",
                        mllp.connections(), mllp.acknowledged(), mllp.refused()), mllp.perSecond(), "msg/s");
            } catch (Exception e) {
                report.note("mllp part failed: " + e.getClass().getName() + " " + e.getMessage());
                out.println("  mllp part failed: " + e.getClass().getName());
            }
        }

        double fiftyPluginDeliveries = 0;
        if (wants("scaling")) {
            int n = Math.min(options.scalingRecords(), records.size());
            List<CanonicalRecord> subset = records.subList(0, n);
            out.printf("[scaling] %,d records: plugins 1, 10, 50; then policy rules 10, 100, 1,000 with %d plugins%n",
                    n, PLUGINS);
            for (int plugins : List.of(1, 10, 50)) {
                double rate = endToEnd(report, keys, "plugins=" + plugins, embeddedUrl("plugins-" + plugins),
                        data.patients(), subset, plugins, 0);
                if (plugins == 50) {
                    fiftyPluginDeliveries = rate * plugins;
                }
            }
            for (int rules : List.of(10, 100, 1000)) {
                endToEnd(report, keys, "unrelated rules=" + rules, embeddedUrl("rules-" + rules), data.patients(), subset,
                        PLUGINS, rules);
            }
        }

        if (wants("scaleout")) {
            scaleOut(report, keys, records);
        }

        List<MemoryRun.Result> memory = new ArrayList<>();
        if (wants("memory")) {
            List<Integer> sizes = options.memoryPatients();
            out.println("[memory] heap after GC per patient per plugin, patients " + sizes + ", " + PLUGINS
                    + " plugins, SQLite");
            for (int patients : sizes) {
                try (BenchPipeline pipeline = BenchPipeline.open(embeddedUrl("memory-" + patients), keys,
                        policies("memory-" + patients, PLUGINS, 0), recorders(PLUGINS))) {
                    MemoryRun.Result m = MemoryRun.run(pipeline, patients, PLUGINS,
                            new Progress(out, "memory " + patients));
                    memory.add(m);
                    report.add("memory", String.format("%,d patients: heap growth after GC / patients / plugins",
                            patients), m.bytesPerPatientPlugin(), "bytes");
                    report.add("memory", String.format("%,d patients: throughput while loading", patients),
                            patients / m.seconds(), "rec/s");
                }
            }
        }

        double limit = Math.max(hapiLimit, jacksonLimit);
        if (embedded > 0 && limit > 0) {
            report.ratio("pipeline (SQLite) / limit", embedded / limit, "against the faster bare loop ("
                    + (jacksonLimit >= hapiLimit ? "Jackson tree" : "HAPI model") + ")");
            if (pg > 0) {
                report.ratio("pipeline (PostgreSQL) / limit", pg / limit, "against the faster bare loop");
            }
            report.ratio("pipeline (SQLite) / HAPI-model limit", embedded / hapiLimit, "against the loop that builds the model");
        }
        if (embedded > 0 && hapiConsent > 0) {
            report.ratio("TwinBridge (SQLite) / HAPI-consent", embedded / hapiConsent, "same records, same masking, 3 recipients");
            if (pg > 0) {
                report.ratio("TwinBridge (PostgreSQL) / HAPI-consent", pg / hapiConsent, "");
            }
        }
        if (hapiLimit > 0 && jacksonLimit > 0) {
            report.ratio("Jackson tree / HAPI model (bare loops)", jacksonLimit / hapiLimit, "what the model costs");
        }
        // Issue 18's targets, on PostgreSQL where it names it; SQLite (the embedded default) must keep up with it.
        if (pg > 0) {
            report.target("end to end on PostgreSQL, 3 plugins, encryption", ">= 10,000 rec/s (stretch 20,000)",
                    String.format("%,.0f rec/s", pg), pg >= 10_000);
        }
        if (pg > 0 && limit > 0) {
            report.target("pipeline (PostgreSQL) / limit", ">= 0.35", String.format("%.2f", pg / limit),
                    pg / limit >= 0.35);
        }
        if (pg > 0 && hapiConsent > 0) {
            report.target("TwinBridge (PostgreSQL) / HAPI-consent", ">= 4x", String.format("%.2fx", pg / hapiConsent),
                    pg / hapiConsent >= 4);
        }
        if (pg > 0 && embedded > 0) {
            report.target("SQLite / PostgreSQL, end to end", ">= 1", String.format("%.2f", embedded / pg),
                    embedded >= pg);
        }
        if (fiftyPluginDeliveries > 0) {
            report.target("50 plugins", ">= 25,000 deliveries/s",
                    String.format("%,.0f deliveries/s", fiftyPluginDeliveries), fiftyPluginDeliveries >= 25_000);
        }
        if (latency != null) {
            // Issue 18: at 1,000 readings/s, p99 under 100 ms (goal 25 ms); one connector sustains 5,000/s, none lost.
            boolean all = latency.samples() == latency.expected();
            String measured = String.format("%.1f ms (%,d/%,d arrived)", latency.p99(), latency.samples(),
                    latency.expected());
            if (latency.rate() == 1000) {
                report.target("p99 latency at 1,000 readings/s", "< 100 ms (goal 25)", measured,
                        all && latency.p99() < 100);
            } else if (latency.rate() >= 5000) {
                report.target(String.format("MQTT sustains %,d readings/s", latency.rate()), "5,000/s, none lost",
                        measured, all);
            }
        }
        if (mllp != null) {
            report.target("MLLP, 20 connections, AA after commit", ">= 2,000 msg/s",
                    String.format("%,.0f msg/s (%,d not AA)", mllp.perSecond(), mllp.refused()),
                    mllp.perSecond() >= 2000 && mllp.refused() == 0);
        }
        if (!memory.isEmpty()) {
            MemoryRun.Result largest = memory.get(memory.size() - 1);
            report.target(String.format("heap per patient per plugin (%,d)", largest.patients()), "< 1 KB",
                    String.format("%.0f bytes", largest.bytesPerPatientPlugin()),
                    largest.bytesPerPatientPlugin() < 1024);
        }
        if (start != null) {
            report.target("node start (first, in this JVM)", "< 3 s", String.format("%.0f ms", start.firstMillis()),
                    start.firstMillis() < 3000);
        }
        report.print(out, machine);
        return report;
    }

    private double endToEnd(BenchReport report, NodeKeys keys, String label, String url,
            List<CanonicalRecord> patients, List<CanonicalRecord> records, int plugins, int unrelatedRules)
            throws Exception {
        String name = label.replaceAll("[^A-Za-z0-9]+", "-");
        try (BenchPipeline pipeline = BenchPipeline.open(url, keys, policies(name, plugins, unrelatedRules),
                recorders(plugins))) {
            ThroughputRun.Result result = ThroughputRun.run(pipeline, patients, records, Math.min(plugins, 8),
                    new Progress(out, "e2e " + label));
            if (result.retriedGroups() > 0) {
                report.note(label + ": " + result.retriedGroups() + " dispatch group(s) failed on the database "
                        + "(typically a lock timeout) and were processed again, as the node's dispatch route does");
            }
            if (result.delivered() == 0) {
                throw new IllegalStateException("TB-BENCH-013 no record was delivered in the " + label + " run");
            }
            String section = unrelatedRules > 0 || plugins != PLUGINS || !Set.of("SQLite", "PostgreSQL").contains(label)
                    ? "scaling" : "e2e";
            report.add(section, label + (section.equals("e2e") ? String.format(" (%,d deliveries)",
                    result.delivered()) : ""), result.perSecond(), "rec/s");
            return result.perSecond();
        }
    }

    private void halves(BenchReport report, NodeKeys keys, String label, String url, List<CanonicalRecord> patients,
            List<CanonicalRecord> records) throws Exception {
        try (BenchPipeline pipeline = BenchPipeline.open(url, keys, policies("halves-" + label, PLUGINS, 0),
                recorders(PLUGINS))) {
            ThroughputRun.Halves halves = ThroughputRun.halves(pipeline, patients, records, PLUGINS);
            if (halves.delivered() == 0) {
                throw new IllegalStateException("TB-BENCH-013 no record was delivered in the " + label + " run");
            }
            out.printf("  %s: journal alone %,.0f rec/s, dispatch alone %,.0f rec/s%n", label,
                    halves.ingestPerSecond(), halves.dispatchPerSecond());
            report.add("e2e", label + ": journal alone (no dispatch running)", halves.ingestPerSecond(), "rec/s");
            report.add("e2e", label + String.format(": dispatch alone, a journalled backlog (%,d deliveries)",
                    halves.delivered()), halves.dispatchPerSecond(), "rec/s");
        }
    }

    /**
     * Throughput of 1, 2 and 3 Kafka workers sharing a six-partition journal, PostgreSQL, {@value #PLUGINS}
     * recorder plugins (docs/scale-out.md). Needs a broker ({@code --kafka}); without one the part is noted as
     * skipped.
     */
    private void scaleOut(BenchReport report, NodeKeys keys, List<CanonicalRecord> records) throws Exception {
        if (options.kafka() == null) {
            report.note("scaleout part skipped: no --kafka broker given (docs/scale-out.md starts one)");
            out.println("[scaleout] skipped: no --kafka broker given");
            return;
        }
        List<CanonicalRecord> workload = new ArrayList<>();
        while (workload.size() < options.scaleOutRecords()) {
            workload.addAll(records.subList(0, Math.min(records.size(), options.scaleOutRecords() - workload.size())));
        }
        out.printf("[scaleout] %,d records through the Kafka journal (%d partitions, %s), then 1, 2, 3 workers, "
                + "%d recorder plugins, PostgreSQL%n", workload.size(), ScaleOutRun.PARTITIONS, options.kafka(),
                PLUGINS);
        List<String> databases = new ArrayList<>();
        try {
            ScaleOutRun.Result result = ScaleOutRun.run(options.kafka(), () -> {
                String url = createPostgres();
                if (url == null) {
                    throw new IllegalStateException("PostgreSQL at " + options.postgres() + " is not reachable");
                }
                databases.add(url);
                return url;
            }, keys, policies("scaleout", PLUGINS, 0), () -> recorders(PLUGINS), workload, List.of(1, 2, 3),
                    new Progress(out, "scale-out"));
            report.add("scaleout", "ingest through the Kafka journal, one node, 4 appenders (acks=all)",
                    result.ingestPerSecond(), "rec/s");
            double one = result.points().get(0).recordsPerSecond();
            for (ScaleOutRun.Point point : result.points()) {
                report.add("scaleout", String.format("%d worker(s), delivered to all %d plugins", point.workers(),
                        PLUGINS), point.recordsPerSecond(), "rec/s");
            }
            for (ScaleOutRun.Point point : result.points().subList(1, result.points().size())) {
                report.ratio(String.format("scale-out: %d workers / 1 worker", point.workers()),
                        point.recordsPerSecond() / one, "same machine (" + Runtime.getRuntime().availableProcessors()
                                + " cores), same broker and PostgreSQL");
            }
        } catch (Exception e) {
            report.note("scaleout part failed: " + e.getClass().getName() + " " + e.getMessage());
            out.println("  scaleout part failed: " + e.getClass().getName() + " " + e.getMessage());
        } finally {
            databases.forEach(this::dropPostgres);
        }
    }

    private List<Subscriber> recorders(int n) {
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            subscribers.add(subscriber(new RecorderTwin("recorder-" + i)));
        }
        return subscribers;
    }

    private static Subscriber subscriber(RecorderTwin twin) {
        return new Subscriber(twin, twin.manifest(), "TREAT");
    }

    private Path policies(String name, int recorders, int unrelatedRules) throws java.io.IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= recorders; i++) {
            ids.add("recorder-" + i);
        }
        return BenchPolicies.write(options.workDir().resolve("policies-" + name), ids, unrelatedRules);
    }

    private String embeddedUrl(String name) {
        return "jdbc:sqlite:" + options.workDir().resolve("sqlite-" + name + "-" + UUID.randomUUID())
                .resolve("twinbridge.db").toAbsolutePath();
    }

    private boolean wants(String part) {
        return options.parts().contains(part);
    }

    /** A new database on the PostgreSQL server, or null when there is none. */
    private String createPostgres() {
        String name = "tb_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(options.postgres() + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            return options.postgres() + name;
        } catch (SQLException e) {
            out.println("  PostgreSQL at " + options.postgres() + " not reachable (" + e.getSQLState()
                    + "); skipping its run");
            return null;
        }
    }

    private void dropPostgres(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(options.postgres() + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            out.println("  could not drop the benchmark database " + name + " (" + e.getSQLState() + ")");
        }
    }

    private static String machine() {
        Runtime rt = Runtime.getRuntime();
        return String.format("%d CPUs, Java %s (%s), max heap %,d MB, %s, %s", rt.availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), rt.maxMemory() >> 20,
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), Instant.now());
    }
}
