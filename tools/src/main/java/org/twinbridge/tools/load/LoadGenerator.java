package org.twinbridge.tools.load;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.twinbridge.embedded.fhir.EmbeddedFhirServer;
import org.twinbridge.embedded.mqtt.EmbeddedMqttBroker;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;

/**
 * Runs a node on embedded parts (an in-process FHIR server its FHIR connector polls, an in-process MQTT broker,
 * an MLLP listener, SQLite or PostgreSQL, the bundled example plugins under the demo policy set) and feeds it at a
 * steady rate for a given time from a lab (HL7 v2 over MLLP), wearables (Open mHealth over MQTT, QoS 1) and an
 * EHR (FHIR). Every interval it prints what was acknowledged, journalled and delivered, the journal rate, the
 * backlog (journal head minus the slowest plugin's cursor) and the heap used right after a full GC. At the end
 * it lets the node catch up and checks that every acknowledged message is in the journal.
 *
 * <p>Used by {@code twinbridge load}, the soak test and the benchmarks.
 */
public final class LoadGenerator {

    /** A kind of source system to feed the node from. */
    public enum Source { MLLP, MQTT, FHIR }

    /**
     * What to run.
     *
     * @param duration   how long to feed
     * @param rate       messages a second, over all sources (each gets an equal share)
     * @param sources    which sources feed the node
     * @param postgres   PostgreSQL {@code host:port} to create a throw-away database on, or null for the embedded SQLite default
     * @param interval   time between measurement rows
     * @param dir        the node's directory (config, keys, plugins, SQLite database)
     */
    public record Options(Duration duration, double rate, Set<Source> sources, String postgres, Duration interval,
            Path dir) {
        public Options {
            sources = sources.isEmpty() ? EnumSet.noneOf(Source.class) : EnumSet.copyOf(sources);
            if (sources.isEmpty()) {
                throw new IllegalArgumentException("TB-LOAD-004 name at least one source: mllp, mqtt or fhir");
            }
            if (!(rate > 0) || duration.isNegative() || duration.isZero() || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("TB-LOAD-005 duration, rate and interval must be positive");
            }
        }
    }

    private static final int PATIENTS = 5;
    /** How long acknowledged messages the journal still lacks are waited for after the node has gone quiet. */
    private static final Duration LATE_ARRIVALS = Duration.ofSeconds(60);
    private final PrintStream out;

    public LoadGenerator(PrintStream out) {
        this.out = out;
    }

    public LoadReport run(Options options) throws Exception {
        String run = "load" + UUID.randomUUID().toString().substring(0, 6);
        String pgUrl = options.postgres() == null ? null : createDatabase(options.postgres(), run);
        try (EmbeddedFhirServer ehr = EmbeddedFhirServer.start(0);
                EmbeddedMqttBroker broker = options.sources().contains(Source.MQTT) ? EmbeddedMqttBroker.start(0)
                        : null) {
            List<String> patients = EhrFeed.createPatients(ehr.store(), run, PATIENTS);
            LoadNode layout = LoadNode.prepare(options.dir(), options.sources(), pgUrl, ehr.baseUrl(),
                    broker == null ? null : broker.url(), patients);
            NodeConfig config = new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(layout.config());
            NodeKeys keys = NodeKeys.load(config.keys().keystore(), config.keys().password().reveal());
            out.printf("Load: %s storage, %.1f messages/s over %s for %d s; node directory %s%n",
                    pgUrl == null ? "SQLite" : "PostgreSQL", options.rate(), options.sources(),
                    options.duration().toSeconds(), options.dir());
            try (Node node = Node.start(config, keys, ConnectorRegistry.discover(), Clock.systemUTC())) {
                out.println("Plugins: " + node.subscribers().stream().map(s -> s.id()).toList()
                        + (node.subscribers().isEmpty() ? " (none bundled in this build: nothing is delivered)" : ""));
                return feed(options, run, node, layout, ehr, broker, patients, pgUrl == null ? "SQLite" : "PostgreSQL");
            }
        } finally {
            if (pgUrl != null) {
                dropDatabase(options.postgres(), pgUrl);
            }
        }
    }

    private LoadReport feed(Options options, String run, Node node, LoadNode layout, EmbeddedFhirServer ehr,
            EmbeddedMqttBroker broker, List<String> patients, String storage) throws Exception {
        double share = options.rate() / options.sources().size();
        Map<Feed, AckLedger> feeds = new LinkedHashMap<>();
        Map<Feed, String> connectors = new LinkedHashMap<>();
        if (options.sources().contains(Source.MLLP)) {
            AckLedger ledger = new AckLedger();
            Feed lab = new LabFeed("127.0.0.1", layout.labPort(), run, PATIENTS, share, ledger);
            feeds.put(lab, ledger);
            connectors.put(lab, LoadNode.LAB);
        }
        if (options.sources().contains(Source.MQTT)) {
            // A broker drops what is published before anyone subscribes: feed only once the node's connector has.
            if (!broker.awaitSubscription(LoadNode.DEVICE_TOPICS, Duration.ofMinutes(2))) {
                throw new IllegalStateException("TB-LOAD-009 the node's MQTT connector did not subscribe to "
                        + LoadNode.DEVICE_TOPICS + " within 2 minutes; its log says why (TB-MQTT-0nn)");
            }
            AckLedger ledger = new AckLedger();
            Feed devices = new DeviceFeed(broker.url(), "", LoadNode.WEARABLES, run, share, ledger);
            feeds.put(devices, ledger);
            connectors.put(devices, LoadNode.WARDS);
        }
        if (options.sources().contains(Source.FHIR)) {
            AckLedger ledger = new AckLedger();
            Feed charts = new EhrFeed(ehr.store(), patients, run, share, ledger);
            feeds.put(charts, ledger);
            connectors.put(charts, LoadNode.EHR);
        }
        List<LoadReport.Interval> intervals = new ArrayList<>();
        Instant started = Instant.now();
        feeds.keySet().forEach(Feed::start);
        out.println(LoadReport.header());
        long lastHead = node.pipeline().journalHead();
        Instant lastAt = started;
        try {
            while (Duration.between(started, Instant.now()).compareTo(options.duration()) < 0) {
                Duration left = options.duration().minus(Duration.between(started, Instant.now()));
                Thread.sleep(Math.max(1, Math.min(options.interval().toMillis(), left.toMillis())));
                LoadReport.Interval row = measure(node, feeds, started, lastHead, lastAt);
                lastHead = row.journalled();
                lastAt = Instant.now();
                intervals.add(row);
                out.println(LoadReport.row(row));
            }
        } finally {
            for (Feed feed : feeds.keySet()) {
                feed.stop(Duration.ofSeconds(60));
            }
        }
        Duration elapsed = Duration.between(started, Instant.now());
        out.println("Feeding stopped; waiting for the node to catch up ...");
        if (!awaitSettled(node, Duration.ofSeconds(3), Duration.ofMinutes(5))) {
            out.println("  ! the node did not catch up within 5 minutes; reporting what is there");
        }
        List<Reconciliation.SourceResult> sources = reconcile(node, feeds, connectors);
        Instant patience = Instant.now().plus(LATE_ARRIVALS);
        while (sources.stream().anyMatch(s -> s.lost() > 0) && Instant.now().isBefore(patience)) {
            // A quiet journal does not prove the sources drained: a broker can still hold acknowledged readings
            // for the node's session (during a reconnect, say). A late message arrives; a lost one never does.
            Thread.sleep(2_000);
            sources = reconcile(node, feeds, connectors);
        }
        Map<String, Long> delivered = new LinkedHashMap<>();
        node.pipeline().deliveries().forEach((id, c) -> delivered.put(id, c.delivered()));
        LoadReport report = new LoadReport(storage, options.rate(), intervals, sources, delivered, elapsed);
        report.print(out);
        return report;
    }

    private static List<Reconciliation.SourceResult> reconcile(Node node, Map<Feed, AckLedger> feeds,
            Map<Feed, String> connectors) throws SQLException {
        Reconciliation journal = Reconciliation.readJournal(node.pipeline());
        List<Reconciliation.SourceResult> sources = new ArrayList<>();
        feeds.forEach((feed, ledger) -> sources.add(journal.check(feed, ledger, connectors.get(feed))));
        return sources;
    }

    private static LoadReport.Interval measure(Node node, Map<Feed, AckLedger> feeds, Instant started, long lastHead,
            Instant lastAt) throws SQLException {
        long head = node.pipeline().journalHead();
        Map<String, DeliveryStats.PluginCounters> stats = node.pipeline().deliveries();
        long slowest = stats.values().stream().mapToLong(DeliveryStats.PluginCounters::position).min().orElse(head);
        long delivered = stats.values().stream().mapToLong(DeliveryStats.PluginCounters::delivered).sum();
        long acknowledged = feeds.keySet().stream().mapToLong(Feed::acknowledged).sum();
        double seconds = Math.max(0.001, Duration.between(lastAt, Instant.now()).toMillis() / 1000.0);
        return new LoadReport.Interval(Duration.between(started, Instant.now()), acknowledged, head, delivered,
                (head - lastHead) / seconds, Math.max(0, head - slowest), heapAfterGc());
    }

    /** Heap in use right after a full collection: what the process really holds on to. */
    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Waits until the journal head has not moved for {@code quiet} and every plugin's cursor is at the head.
     *
     * @return whether that happened within {@code limit}
     */
    public static boolean awaitSettled(Node node, Duration quiet, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        long lastHead = -1;
        Instant stableSince = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            long head = node.pipeline().journalHead();
            Map<String, DeliveryStats.PluginCounters> stats = node.pipeline().deliveries();
            boolean caughtUp = stats.size() >= node.subscribers().size()
                    && stats.values().stream().allMatch(p -> p.position() >= head);
            if (head != lastHead || !caughtUp) {
                lastHead = head;
                stableSince = Instant.now();
            } else if (Duration.between(stableSince, Instant.now()).compareTo(quiet) >= 0) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static String createDatabase(String hostPort, String run) throws SQLException {
        String name = "tb_" + run;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/postgres", "postgres",
                System.getenv().getOrDefault("PGPASSWORD", ""));
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://" + hostPort + "/" + name;
    }

    private static void dropDatabase(String hostPort, String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/postgres", "postgres",
                System.getenv().getOrDefault("PGPASSWORD", ""));
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // A leftover tb_load* database holds synthetic data only; say so and go on.
            System.err.println("TB-LOAD-006 could not drop the load database " + name + " (SQLState "
                    + e.getSQLState() + "); drop it by hand");
        }
    }

    /** Whether the path is usable as a node directory (exists and is empty, or does not exist yet). */
    public static boolean usableDirectory(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (var entries = Files.list(dir)) {
            return Files.isDirectory(dir) && entries.findAny().isEmpty();
        }
    }
}
