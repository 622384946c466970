package org.twinbridge.runtime.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.plugin.process.IsolatedTwinModel;
import org.twinbridge.runtime.storage.Database;

/**
 * A running node's health, metrics and connector control, as the node hands them to the admin API and the CLI.
 * A connector is paused by suspending its source route {@code connector-<id>}: Camel suspends a consumer that
 * supports it (timer, file) and stops one that does not (MLLP, MQTT), which closes the MLLP listener and its
 * connections and disconnects from the MQTT broker while the persistent session keeps queueing. Thread-safe.
 */
public final class NodeObservability {

    private static final Logger LOG = LoggerFactory.getLogger(NodeObservability.class);
    private final String nodeId;
    private final Map<String, ConnectorTracker> trackers;
    private final Database db;
    private final CamelContext camel;
    private final BooleanSupplier keysLoaded;
    private final Clock clock;
    private final PrometheusMeterRegistry registry;
    // Held here because the registry's function counters hold it only weakly (see NodeMetrics).
    private final PluginProgress progress;
    private final MetricHistory history;
    private volatile List<IsolatedTwinModel> processes = List.of();
    private volatile java.util.function.Supplier<Map<String, Object>> kafkaWorker;

    public NodeObservability(String nodeId, Collection<ConnectorTracker> trackers, Collection<String> plugins,
            Database db, CamelContext camel, BooleanSupplier keysLoaded, Clock clock) {
        this.nodeId = nodeId;
        Map<String, ConnectorTracker> byId = new LinkedHashMap<>();
        trackers.forEach(t -> byId.put(t.connectorId(), t));
        this.trackers = java.util.Collections.unmodifiableMap(byId);
        this.db = db;
        this.camel = camel;
        this.keysLoaded = keysLoaded;
        this.clock = clock;
        this.progress = new PluginProgress(db, clock);
        this.registry = NodeMetrics.create(trackers, plugins, progress, () -> health().ready());
        this.history = new MetricHistory(historySource(List.copyOf(plugins)), clock, MetricHistory.CAPACITY);
    }

    /** The last hour of throughput and lag; {@link HistorySampler} fills it while the node runs. */
    public MetricHistory history() {
        return history;
    }

    private MetricHistory.Source historySource(List<String> plugins) {
        return MetricHistory.Source.of(() -> {
            Map<String, MetricHistory.Reading> out = new LinkedHashMap<>();
            trackers.values().forEach(t -> {
                double lag = t.lagSeconds();
                out.put(t.connectorId(), new MetricHistory.Reading(t.journalledCount(), Double.isNaN(lag) ? null : lag));
            });
            return out;
        }, () -> {
            PluginProgress.Snapshot now = progress.current();
            Map<String, MetricHistory.Reading> out = new LinkedHashMap<>();
            plugins.forEach(p -> out.put(p, new MetricHistory.Reading(now.delivered(p), (double) now.cursorLag(p))));
            return out;
        });
    }

    /**
     * Adds the plugin processes to health and metrics: per plugin, {@code twinbridge.plugin.process.state} (1 for
     * the current state), {@code twinbridge.plugin.process.restarts}, {@code twinbridge.plugin.process.resident}
     * (bytes) and {@code twinbridge.plugin.process.sandboxed} (1 if the OS sandbox confines it).
     */
    public void pluginProcesses(Collection<IsolatedTwinModel> processes) {
        for (var process : processes) {
            Tags tags = Tags.of("plugin",
                    process.health().pluginId());
            for (var state : IsolatedTwinModel.State.values()) {
                Gauge.builder("twinbridge.plugin.process.state", process,
                        p -> p.health().state() == state ? 1 : 0)
                        .description("1 for the plugin process's current state, 0 for the others")
                        .tags(tags.and("state", state.name())).strongReference(true).register(registry);
            }
            Gauge.builder("twinbridge.plugin.process.restarts", process,
                    p -> p.health().restarts()).description("How often the plugin's process was restarted")
                    .tags(tags).strongReference(true).register(registry);
            Gauge.builder("twinbridge.plugin.process.resident", process,
                    p -> p.health().residentBytes()).baseUnit("bytes")
                    .description("Resident memory of the plugin's process").tags(tags).strongReference(true).register(registry);
            Gauge.builder("twinbridge.plugin.process.sandboxed", process,
                    p -> p.health().sandboxed() ? 1 : 0)
                    .description("1 if the OS sandbox confines the plugin's process").tags(tags).strongReference(true).register(registry);
        }
        this.processes = List.copyOf(processes);
    }

    /** Each isolated plugin's process: state, restarts, memory, sandbox. */
    /**
     * The node's Kafka worker (docs/scale-out.md), reported under {@code kafkaWorker} in {@code /health}: owned
     * partitions, consumer lag, rebalances. Ids and counts only.
     */
    public void kafkaWorker(java.util.function.Supplier<Map<String, Object>> health) {
        this.kafkaWorker = health;
    }

    /** The Kafka worker's health, if the node runs one. */
    public java.util.Optional<Map<String, Object>> kafkaWorkerHealth() {
        java.util.function.Supplier<Map<String, Object>> health = kafkaWorker;
        return health == null ? java.util.Optional.empty() : java.util.Optional.of(health.get());
    }

    public List<IsolatedTwinModel.ProcessHealth> pluginProcessHealth() {
        return processes.stream().map(IsolatedTwinModel::health).toList();
    }

    /** The Camel route id of a connector's source route, by convention of every built-in connector. */
    public static String routeId(String connectorId) {
        return "connector-" + connectorId;
    }

    /** Every connector's health, in configuration order. */
    public List<ConnectorHealth> connectors() {
        return trackers.values().stream().map(ConnectorTracker::health).toList();
    }

    /** One connector's health, or empty if the node has no connector with that id. */
    public Optional<ConnectorHealth> connector(String connectorId) {
        return Optional.ofNullable(trackers.get(connectorId)).map(ConnectorTracker::health);
    }

    /** Liveness and readiness, checked now. */
    public NodeHealth health() {
        boolean live = camel.isStarted();
        boolean database = databaseReachable();
        boolean connectorsStarted = live && trackers.values().stream().allMatch(this::started);
        boolean keys = keysLoaded.getAsBoolean();
        return new NodeHealth(nodeId, live, live && database && connectorsStarted && keys, database,
                connectorsStarted, keys, connectors(), clock.instant());
    }

    /** The registry to scrape, in Prometheus text format with {@code scrape()}. */
    public PrometheusMeterRegistry metrics() {
        return registry;
    }

    /**
     * Pauses a connector: it stops taking messages from its source (no MLLP accept or ACK, no MQTT ack, no FHIR
     * poll, no file pick-up) until {@link #resume}. Pausing a paused connector changes nothing.
     *
     * @return the connector's health after pausing, or empty if the node has no connector with that id
     * @throws IllegalStateException if Camel could not suspend the route
     */
    public synchronized Optional<ConnectorHealth> pause(String connectorId) {
        ConnectorTracker tracker = trackers.get(connectorId);
        if (tracker == null) {
            return Optional.empty();
        }
        if (!tracker.isPaused()) {
            try {
                camel.getRouteController().suspendRoute(routeId(connectorId));
            } catch (Exception e) {
                throw new IllegalStateException("TB-OBSERVE-010 connector " + connectorId + " could not be paused ("
                        + e.getClass().getSimpleName() + ")", e);
            }
            tracker.paused(true);
            LOG.info("TB-OBSERVE-011 connector {} paused", connectorId);
        }
        return Optional.of(tracker.health());
    }

    /**
     * Resumes a paused connector. Resuming a running connector changes nothing.
     *
     * @return the connector's health after resuming, or empty if the node has no connector with that id
     * @throws IllegalStateException if Camel could not resume the route
     */
    public synchronized Optional<ConnectorHealth> resume(String connectorId) {
        ConnectorTracker tracker = trackers.get(connectorId);
        if (tracker == null) {
            return Optional.empty();
        }
        if (tracker.isPaused()) {
            try {
                camel.getRouteController().resumeRoute(routeId(connectorId));
            } catch (Exception e) {
                throw new IllegalStateException("TB-OBSERVE-012 connector " + connectorId + " could not be resumed ("
                        + e.getClass().getSimpleName() + ")", e);
            }
            tracker.paused(false);
            LOG.info("TB-OBSERVE-013 connector {} resumed", connectorId);
        }
        return Optional.of(tracker.health());
    }

    private boolean started(ConnectorTracker tracker) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId(tracker.connectorId()));
        if (status == null) {
            return false;
        }
        return status.isStarted() || tracker.isPaused() && (status.isSuspended() || status.isStopped());
    }

    private boolean databaseReachable() {
        try {
            return db.inTransaction(c -> c.isValid(2));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("database check failed ({})", e.getClass().getSimpleName());
            return false;
        }
    }
}
