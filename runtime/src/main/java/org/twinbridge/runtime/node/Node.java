package org.twinbridge.runtime.node;

import org.twinbridge.policy.yaml.LocatedError;
import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.assembly.NodeAssembly;
import org.twinbridge.runtime.policy.PolicyHolder;
import org.twinbridge.runtime.policy.PolicyReloader;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditLog;
import org.twinbridge.runtime.consent.ConsentAdmin;
import org.twinbridge.runtime.consent.PatientResolver;
import org.twinbridge.runtime.crypto.rotation.KeyRewrap;
import org.twinbridge.runtime.dispatch.PipelineStats;
import org.twinbridge.runtime.dispatch.TwinOutputs;
import org.twinbridge.runtime.erasure.PatientErasure;
import org.twinbridge.runtime.federation.NodeFederation;
import org.twinbridge.runtime.observe.ConnectorControl;
import org.twinbridge.runtime.plugin.PluginControl;
import org.twinbridge.runtime.audit.JdbcAuditTrail;
import org.twinbridge.runtime.deadletter.DeadLetters;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.KeyFamily;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.deadletter.DeadLetterService;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.OutputTable;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.KafkaJournal;
import org.twinbridge.runtime.journal.RecordJournal;
import org.twinbridge.runtime.journal.JournalSignal;
import org.twinbridge.runtime.plugin.ConnectorPluginHost;
import org.twinbridge.runtime.plugin.PluginHost;
import org.twinbridge.runtime.observe.ConnectorHealth;
import org.twinbridge.runtime.observe.ConnectorTracker;
import org.twinbridge.runtime.observe.HealthPolicy;
import org.twinbridge.runtime.observe.NodeHealth;
import org.twinbridge.runtime.observe.HistorySampler;
import org.twinbridge.runtime.observe.MetricHistory;
import org.twinbridge.runtime.observe.NodeObservability;
import org.twinbridge.runtime.sink.SinkWorker;
import org.twinbridge.runtime.storage.Database;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.sdk.connector.SourceConnector;

/**
 * A running TwinBridge node: storage, keys, journal, plugins, the audit trail, and a Camel Main with one route
 * per connector, one dispatch route per plugin, and the background key re-wrap. Its start, its plugins, policy
 * activations and its stop are audited; at stop it signs a checkpoint over the whole audit chain.
 */
public final class Node implements AutoCloseable {

    static final String JOURNAL_URI = "direct:twinbridge-journal";
    static final String DEAD_LETTER_URI = "direct:twinbridge-dead-letters";
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final NodeAssembly services;
    private final NodeConfig config;
    private final Database db;
    private final JdbcAuditTrail audit;
    private final JdbcJournal journal;
    private final Dispatcher dispatcher;
    private final PolicyHolder policy;
    private final ConsentAdmin consentAdmin;
    private final AuditLog auditLog;
    private final PluginControl pluginControl;
    private final ConnectorControl connectorControl;
    private final PluginHost plugins;
    private final ConnectorPluginHost connectorPlugins;
    private final JournalProcessor journalProcessor;
    private final Main camel;
    private final NodeObservability observability;
    private final List<SinkWorker> sinks;
    private final HistorySampler historySampler;
    private final Optional<NodeFederation> federation;
    private final Optional<Integer> federationPort;
    private final ScaleOut scaleOut;

    /** The services are the assembly's, already built by {@link #start}. */
    private Node(NodeAssembly services, Database db, PluginHost plugins, ConnectorPluginHost connectorPlugins,
            JournalProcessor journalProcessor, Main camel, NodeObservability observability, List<SinkWorker> sinks,
            Optional<NodeFederation> federation, Optional<Integer> federationPort, ScaleOut scaleOut)
            throws Exception {
        this.services = services;
        this.scaleOut = scaleOut;
        this.config = services.config();
        this.db = db;
        this.audit = services.audit();
        this.journal = services.journal();
        this.dispatcher = services.dispatcher();
        this.policy = services.policy();
        this.consentAdmin = services.consentAdmin();
        this.auditLog = services.auditLog();
        this.plugins = plugins;
        this.connectorPlugins = connectorPlugins;
        this.journalProcessor = journalProcessor;
        this.camel = camel;
        this.observability = observability;
        this.pluginControl = new CamelPluginControl(plugins, connectorPlugins, camel.getCamelContext());
        this.connectorControl = new AuditedConnectorControl(config.node().id(), observability, auditLog);
        this.sinks = List.copyOf(sinks);
        this.historySampler = HistorySampler.start(observability.history(), MetricHistory.INTERVAL);
        this.federation = federation;
        this.federationPort = federationPort;
    }

    /** Opens storage and keys, loads plugins and starts every route. */
    public static Node start(NodeConfig config, NodeKeys keys, ConnectorRegistry registry, Clock clock)
            throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        NodeConfig.Storage storage = config.storage();
        Database db = NodeAssembly.openDatabase(storage);
        PluginHost plugins = null;
        ConnectorPluginHost connectorPlugins = null;
        Optional<NodeFederation> federation = Optional.empty();
        Main camel = null;
        ScaleOut scaleOut = ScaleOut.NONE;
        try {
            NodeAssembly services = NodeAssembly.of(config, keys, db, clock);
            JdbcAuditTrail audit = services.audit();
            PolicyHolder policy = services.policy();
            JdbcJournal journal = services.journal();
            DeadLetters deadLetters = services.deadLetters();
            Map<String, ConnectorTracker> trackers = new java.util.LinkedHashMap<>();
            for (NodeConfig.Connector connector : config.connectors()) {
                trackers.put(connector.id(), new ConnectorTracker(connector.id(), connector.type(), clock,
                        HealthPolicy.DEFAULT));
            }
            JournalSignal journalSignal = new JournalSignal();
            plugins = services.loadPlugins();
            connectorPlugins = services.loadConnectorPlugins(plugins, registry.settingKeys().keySet());
            Dispatcher dispatcher = services.dispatcher();
            if (config.journal().isPresent()) {
                scaleOut = ScaleOut.open(config.journal().get(), services, db, plugins.subscribers(),
                        config.node().id(), clock);
            }
            RecordJournal appendTo = scaleOut.journal().isPresent() ? scaleOut.journal().get() : journal;
            JournalProcessor journalProcessor = new JournalProcessor(appendTo, trackers, journalSignal);
            List<SinkWorker> sinks = services.sinks(plugins.subscribers());
            recordStart(db, audit, config, keys, plugins, policy);
            recordPlugins(db, audit, plugins);
            federation = services.federation();

            List<RoutesBuilder> routes = new ArrayList<>();
            // On the Kafka journal the worker dispatches the partitions it owns; there is no per-plugin route.
            routes.add(coreRoutes(journalProcessor, deadLetters, dispatcher,
                    config.journal().isPresent() ? List.of() : plugins.subscribers(), journalSignal));
            routes.add(sinkRoutes(sinks));
            routes.add(rewrapRoute(services.keyRewrap()));
            config.policies().dir().ifPresent(dir -> routes.add(reloadRoute(new PolicyReloader(dir, fhir, policy,
                    active -> recordPolicy(db, audit, policy)))));
            for (NodeConfig.Connector connector : config.connectors()) {
                routes.add(connectorRoutes(config.node().id(), connector, connectorType(connector, registry,
                        connectorPlugins), db, trackers.get(connector.id()), clock));
            }
            camel = new Main();
            camel.configure().setName("twinbridge-" + config.node().id());
            camel.configure().setJmxEnabled(false);
            routes.forEach(camel.configure()::addRoutesBuilder);
            camel.start();
            LOG.info("node {} started: {} connector(s), {} plugin(s)", config.node().id(), config.connectors().size(),
                    plugins.subscribers().size());
            NodeObservability observability = new NodeObservability(config.node().id(), trackers.values(),
                    plugins.subscribers().stream().map(Subscriber::id).toList(), db, camel.getCamelContext(),
                    () -> keysLoaded(keys), clock);
            observability.pluginProcesses(plugins.processes());
            scaleOut.worker().ifPresent(worker -> {
                worker.bindTo(observability.metrics());
                observability.kafkaWorker(worker::healthMap);
            });
            scaleOut.start();
            // Tasks are answered only once the journal and dispatch are running: a site answers over what it holds.
            Optional<Integer> federationPort = federation.isPresent()
                    ? Optional.of(federation.get().start()) : Optional.empty();
            return new Node(services, db, plugins, connectorPlugins, journalProcessor, camel, observability, sinks,
                    federation, federationPort, scaleOut);
        } catch (Exception | Error e) {
            federation.ifPresent(NodeFederation::close);
            scaleOut.close();
            if (camel != null) {
                try {
                    camel.stop();
                } catch (RuntimeException stopFailed) {
                    e.addSuppressed(stopFailed);
                }
            }
            if (plugins != null) {
                plugins.close();
            }
            if (connectorPlugins != null) {
                connectorPlugins.close();
            }
            db.close();
            throw e;
        }
    }

    private static boolean keysLoaded(NodeKeys keys) {
        try {
            return keys.current(KeyFamily.KEK) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void recordStart(Database db, JdbcAuditTrail audit, NodeConfig config, NodeKeys keys,
            PluginHost plugins, PolicyHolder policy) throws java.sql.SQLException {
        String version = Node.class.getPackage().getImplementationVersion();
        db.inTransaction(c -> {
            audit.record(c, new AuditEvent("node.start", "node", "", Map.of(
                    "node", config.node().id(),
                    "version", version == null ? "development build" : version,
                    "keys", String.join(",", List.of(keys.current(KeyFamily.KEK).toString(),
                            keys.current(KeyFamily.AUDIT_SIGNING).toString(),
                            keys.current(KeyFamily.PSEUDONYM).toString(), keys.current(KeyFamily.LINK).toString())),
                    "plugins_loaded", Integer.toString(plugins.subscribers().size()),
                    "plugins_refused", Integer.toString(plugins.refused().size()),
                    "require_signed", Boolean.toString(config.plugins().requireSigned()),
                    "policy_version", policy.policyVersion())));
            return null;
        });
    }

    private static void recordPlugins(Database db, JdbcAuditTrail audit, PluginHost plugins)
            throws java.sql.SQLException {
        db.inTransaction(c -> {
            for (var file : plugins.files()) {
                java.util.Map<String, String> details = new java.util.TreeMap<>();
                details.put("plugin", file.pluginId());
                details.put("kind", file.kind().label());
                details.put("version", file.version());
                details.put("jar", file.jar().getFileName().toString());
                details.put("signature", file.signature().status().name());
                file.signature().signer().ifPresent(s -> details.put("signer", s));
                file.signature().fingerprint().ifPresent(f -> details.put("signer_sha256", f));
                file.refusal().ifPresent(r -> details.put("reason", r));
                audit.record(c, new AuditEvent(file.admitted() ? "plugin.admit" : "plugin.refuse", "node", "",
                        details));
            }
            return null;
        });
    }

    private static void recordPolicy(Database db, JdbcAuditTrail audit, PolicyHolder policy) {
        try {
            db.inTransaction(c -> {
                audit.record(c, new AuditEvent("policy.activate", "node", "", Map.of(
                        "policy_version", policy.policyVersion(), "description", policy.current().description())));
                return null;
            });
        } catch (java.sql.SQLException e) {
            LOG.error("TB-AUDIT-004 cannot record the policy activation in the audit trail (SQLState {})",
                    e.getSQLState());
        }
    }

    /** One route per sink; its timer ticks often, and the worker itself honours each sink's retry backoff. */
    private static RoutesBuilder sinkRoutes(List<SinkWorker> sinks) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (SinkWorker sink : sinks) {
                    from("timer:twinbridge-sink-" + sink.sinkId() + "?delay=500&period=500")
                            .routeId("sink-" + sink.sinkId()).process(new SinkProcessor(sink));
                }
            }
        };
    }

    private static RoutesBuilder rewrapRoute(KeyRewrap rewrap) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:twinbridge-key-rewrap?delay=1000&period=10000").routeId("key-rewrap")
                        .process(ex -> rewrap.tick(ex.getContext()::isStarted));
            }
        };
    }

    private static RoutesBuilder reloadRoute(PolicyReloader reloader) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:twinbridge-policy-reload?delay=2000&period=2000").routeId("policy-reload")
                        .process(reloader);
            }
        };
    }

    private static RoutesBuilder coreRoutes(JournalProcessor journalProcessor, DeadLetters deadLetters,
            Dispatcher dispatcher, List<Subscriber> subscribers, JournalSignal journalSignal) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // No error handler here: a failed commit goes back to the connector that sent the records, which
                // reports it without record content; Camel's default handler would log the raw exception.
                from(JOURNAL_URI).routeId("journal").errorHandler(noErrorHandler()).process(journalProcessor);
                from(DEAD_LETTER_URI).routeId("dead-letters").errorHandler(noErrorHandler())
                        .process(ex -> deadLetters.record(ex.getMessage().getMandatoryBody(DeadLetter.class)));
                for (Subscriber subscriber : subscribers) {
                    from("timer:twinbridge-dispatch-" + subscriber.id() + "?delay=0&period=200")
                            .routeId(dispatchRouteId(subscriber.id()))
                            .process(new DispatchProcessor(dispatcher, subscriber, journalSignal));
                }
            }
        };
    }

    /**
     * The built-in connector or the loaded connector plugin for this configured connector. A plugin's settings are
     * checked here, against the keys its loaded code declares (the configuration loader knew only its type).
     */
    private static SourceConnector connectorType(NodeConfig.Connector connector, ConnectorRegistry registry,
            ConnectorPluginHost connectorPlugins) throws ConfigException {
        Optional<SourceConnector> builtIn = registry.get(connector.type());
        if (builtIn.isPresent()) {
            return builtIn.get();
        }
        LocatedError at = connector.position();
        SourceConnector type = connectorPlugins.get(connector.type()).orElseThrow(() -> new ConfigException(
                new LocatedError(at.file(), at.line(), at.column(), "TB-CONFIG-012", "connector '" + connector.id()
                        + "': no loaded connector plugin provides type '" + connector.type() + "'"
                        + (connectorPlugins.refused().isEmpty() ? "" : "; refused at start: "
                                + String.join("; ", connectorPlugins.refused())))));
        java.util.TreeSet<String> unknown = new java.util.TreeSet<>(connector.settings().asMap().keySet());
        unknown.removeAll(type.settingKeys());
        if (!unknown.isEmpty()) {
            throw new ConfigException(new LocatedError(at.file(), at.line(), at.column(), "TB-CONFIG-010",
                    "connector '" + connector.id() + "': unknown key(s) " + unknown + " for type '" + connector.type()
                    + "'; expected: " + new java.util.TreeSet<>(type.settingKeys())));
        }
        return type;
    }

    private static RoutesBuilder connectorRoutes(String nodeId, NodeConfig.Connector connector,
            SourceConnector type, Database db, ConnectorTracker tracker, Clock clock) throws ConfigException {
        ConnectorContext context = new ConnectorContext() {
            private final JdbcCheckpoints checkpoints = new JdbcCheckpoints(db, connector.id(), clock);

            @Override
            public String connectorId() {
                return connector.id();
            }

            @Override
            public ConnectorSettings settings() {
                return connector.settings();
            }

            @Override
            public String journalUri() {
                return JOURNAL_URI;
            }

            @Override
            public String deadLetterUri() {
                return DEAD_LETTER_URI;
            }

            @Override
            public String nodeId() {
                return nodeId;
            }

            @Override
            public java.nio.file.Path configDirectory() {
                java.nio.file.Path file = java.nio.file.Path.of(connector.position().file()).toAbsolutePath();
                return java.nio.file.Files.isRegularFile(file) ? file.getParent()
                        : ConnectorContext.super.configDirectory();
            }

            @Override
            public org.twinbridge.sdk.connector.Checkpoints checkpoints() {
                return checkpoints;
            }

            @Override
            public org.twinbridge.sdk.connector.ConnectorMonitor monitor() {
                return tracker;
            }
        };
        try {
            return type.routes(context);
        } catch (ConnectorConfigException e) {
            LocatedError at = connector.position();
            throw new ConfigException(new LocatedError(at.file(), at.line(), at.column(), "TB-CONFIG-010",
                    "connector '" + connector.id() + "': " + e.getMessage()));
        }
    }

    public NodeConfig config() {
        return config;
    }

    /**
     * Package-private on purpose: nothing outside the node reaches its database. Tests read tables through
     * {@code NodeTestAccess} in the test tree.
     */
    Database database() {
        return db;
    }

    /** This node's Kafka worker's health, if it runs one (docs/scale-out.md). */
    public Optional<KafkaWorker.Health> kafkaWorker() {
        return scaleOut.worker().map(KafkaWorker::health);
    }

    /** The Kafka journal, if the node's journal is on Kafka: tests and the bench append to it. */
    public Optional<KafkaJournal> kafkaJournal() {
        return scaleOut.journal();
    }

    /** The journal: tests and tools append to it; reading goes through {@link #pipeline}. */
    public JdbcJournal journal() {
        return journal;
    }

    public List<Subscriber> subscribers() {
        return plugins.subscribers();
    }

    public List<String> refusedPlugins() {
        return plugins.refused();
    }

    /** Previews deliveries without delivering; see {@link Dispatcher#preview}. */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The plugins' parked deliveries and the connectors' dead letters: list, replay, drop (for the admin API). */
    public DeadLetterService deadLetters() {
        try {
            return services.deadLetterService(plugins.subscribers());
        } catch (Exception e) {
            throw new IllegalStateException("built at start", e);
        }
    }

    public OutputTable outputs() {
        return services.outputs();
    }

    /** A patient's twin outputs under each plugin's pseudonym, for the clinician's view. */
    public TwinOutputs twinOutputs() {
        return services.twinOutputs();
    }

    /** Appending to, querying and verifying this node's audit trail. */
    public AuditLog auditLog() {
        return auditLog;
    }

    /** The active policy; the admin API activates uploaded versions through it. */
    public PolicyHolder policy() {
        return policy;
    }

    /** The patient consent registry this node decides with, for reading, storing and withdrawing consents. */
    public ConsentAdmin consentAdmin() {
        return consentAdmin;
    }

    /** Patient ids to this node's internal patient keys. */
    public PatientResolver patientResolver() {
        return services.patientResolver();
    }

    /** Erasure of a patient: journal, consents, identifier links and the plugins' state. */
    public PatientErasure erasure() {
        try {
            return services.erasure();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("built at start", e);
        }
    }

    /** Counts per connector and plugin, the journal head and the decrypted journal. */
    public PipelineStats pipeline() {
        return services.pipelineStats();
    }

    /** The plugins this node scanned and loaded, and switching their deliveries off and on. */
    public PluginControl plugins() {
        return pluginControl;
    }

    /** The connectors' health, and audited pause and resume. */
    public ConnectorControl connectors() {
        return connectorControl;
    }

    /** Records journalled by this process since start: new ones, and duplicates that were ignored. */
    public Map<String, Long> journalActivity() {
        return Map.of("added", journalProcessor.added(), "duplicates", journalProcessor.duplicates());
    }

    /** The port this node answers federated tasks on (mutual TLS), if it serves them ({@code federation.serve}). */
    public Optional<Integer> federationPort() {
        return federationPort;
    }

    /** Health, metrics and the plugin processes' state of this node. */
    public NodeObservability observability() {
        return observability;
    }

    /** One connector's health, or empty if there is no connector with that id. */
    public Optional<ConnectorHealth> connector(String connectorId) {
        return observability.connector(connectorId);
    }

    /** Liveness and readiness: database reachable, connectors started, keys loaded. */
    public NodeHealth health() {
        return observability.health();
    }

    /** The node's Prometheus registry; {@code metrics().scrape()} is the {@code /metrics} body. */
    public PrometheusMeterRegistry metrics() {
        return observability.metrics();
    }

    /** The dispatch route the node runs per plugin; stopping it pauses the plugin's deliveries. */
    static String dispatchRouteId(String pluginId) {
        return "dispatch-" + pluginId;
    }

    /**
     * Stops routes first (no new intake, no new deliveries), then plugins, then records the stop and signs a
     * checkpoint over the audit chain, then closes storage.
     */
    @Override
    public void close() {
        historySampler.close();
        // No new federated task once stopping begins.
        federation.ifPresent(NodeFederation::close);
        try {
            camel.stop();
        } finally {
            scaleOut.close();
            sinks.forEach(SinkWorker::close);
            try {
                plugins.close();
                connectorPlugins.close();
            } finally {
                try {
                    db.inTransaction(c -> {
                        audit.record(c, new AuditEvent("node.stop", "node", "", Map.of("node", config.node().id())));
                        return audit.checkpoint(c, "shutdown");
                    });
                } catch (java.sql.SQLException | RuntimeException e) {
                    LOG.error("TB-AUDIT-005 cannot record the stop or sign the shutdown checkpoint ({})",
                            e.getClass().getSimpleName());
                }
                db.close();
                LOG.info("node {} stopped", config.node().id());
            }
        }
    }
}
