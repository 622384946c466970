package org.twinbridge.runtime.assembly;

import ca.uhn.fhir.context.FhirContext;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.policy.decision.AllowListDecisionPoint;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.audit.AuditLog;
import org.twinbridge.runtime.audit.JdbcAuditTrail;
import org.twinbridge.runtime.audit.TransactionalAuditLog;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.consent.ConsentAdmin;
import org.twinbridge.runtime.consent.ConsentGate;
import org.twinbridge.runtime.consent.IndexedPatientResolver;
import org.twinbridge.runtime.consent.PatientResolver;
import org.twinbridge.runtime.consent.RegistryConsentAdmin;
import org.twinbridge.runtime.consent.ConsentImport;
import org.twinbridge.runtime.consent.ConsentIntake;
import org.twinbridge.runtime.consent.RecordCipherPayloads;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyOwner;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.crypto.Pseudonyms;
import org.twinbridge.runtime.crypto.rotation.KeyAdmin;
import org.twinbridge.runtime.crypto.rotation.KeyRewrap;
import org.twinbridge.runtime.crypto.rotation.StoredKeyAdmin;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.runtime.deadletter.DeadLetterService;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.JdbcPipelineStats;
import org.twinbridge.runtime.dispatch.PipelineStats;
import org.twinbridge.runtime.dispatch.TwinOutputs;
import org.twinbridge.runtime.dispatch.OutputTable;
import org.twinbridge.runtime.dispatch.PluginErasure;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.erasure.PatientErasure;
import org.twinbridge.runtime.federation.JournalSiteRecords;
import org.twinbridge.runtime.federation.NodeFederation;
import org.twinbridge.runtime.deadletter.DeadLetters;
import org.twinbridge.runtime.journal.DeviceRegistry;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.KafkaJournal;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.plugin.PluginHost;
import org.twinbridge.runtime.policy.PolicyHolder;
import org.twinbridge.runtime.policy.PolicyReloader;
import org.twinbridge.runtime.sink.SinkWorker;
import org.twinbridge.runtime.sink.Sinks;
import org.twinbridge.runtime.storage.Database;

/**
 * The one place where a node's services are built, from its configuration, keys, database and clock. The running
 * node, every CLI command, the bench and the load generator take their services from an assembly, so a journal, a
 * dispatcher, a consent registry or an audit trail is wired the same way wherever it is used; no other main class
 * constructs them.
 *
 * <p>Services are built on first use and then shared: a command that only lists dead letters never loads the
 * policy set or opens a data key. An assembly without keys ({@link #withoutKeys}) serves what needs none (an audit
 * trail that chains without signing, dead-letter listing); asking it for anything that needs keys fails with
 * {@code TB-ASSEMBLY-001}. Not thread-safe while it is being built; the node builds it on one thread at start.
 */
public final class NodeAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAssembly.class);

    private final NodeConfig config;
    private final Optional<NodeKeys> keys;
    private final Database db;
    private final Clock clock;
    private final FhirContext fhir = FhirContext.forR4Cached();

    private JdbcAuditTrail audit;
    private PatientIndex patients;
    private PolicyHolder policy;
    private RecordCipher unlinked;
    private JdbcConsentRegistry consents;
    private JdbcJournal journal;
    private Dispatcher dispatcher;
    private KeyRewrap rewrap;
    private DataKeys dataKeys;

    private NodeAssembly(NodeConfig config, Optional<NodeKeys> keys, Database db, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.keys = keys;
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Everything a node has: its services sign, encrypt and decide exactly as the running node's do. */
    public static NodeAssembly of(NodeConfig config, NodeKeys keys, Database db, Clock clock) {
        return new NodeAssembly(config, Optional.of(Objects.requireNonNull(keys, "keys")), db, clock);
    }

    /** For commands that read metadata only: no data key is opened and no checkpoint is signed. */
    public static NodeAssembly withoutKeys(NodeConfig config, Database db, Clock clock) {
        return new NodeAssembly(config, Optional.empty(), db, clock);
    }

    public NodeConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public FhirContext fhir() {
        return fhir;
    }

    /**
     * The node's keys, for the services built here only: callers get services, never the keys or the database.
     * {@code TB-ASSEMBLY-001} on an assembly built without them.
     */
    private NodeKeys keys() {
        return keys.orElseThrow(() -> new IllegalStateException(
                "TB-ASSEMBLY-001 this command was set up without the node's keys, but needs them"));
    }

    /** The node's data keys, their rows stamped by the node's clock. */
    public DataKeys dataKeys() {
        if (dataKeys == null) {
            dataKeys = keys().dataKeys(clock);
        }
        return dataKeys;
    }

    /** The hash-chained audit trail: signing checkpoints with the node's key where there are keys. */
    public JdbcAuditTrail audit() {
        if (audit == null) {
            audit = new JdbcAuditTrail(clock, keys.map(k -> new JdbcAuditTrail.CheckpointPolicy(config.node().id(),
                    k.auditSigner(), config.audit().checkpointInterval())));
        }
        return audit;
    }

    public PatientIndex patients() {
        if (patients == null) {
            patients = new PatientIndex(keys().identifierHashes(), clock);
        }
        return patients;
    }

    /** The active policy: the policy set, or the plain allow-list, or deny-all. Loaded once. */
    public PolicyHolder policy() throws PolicyException {
        if (policy == null) {
            policy = initialPolicy(config.policies(), fhir);
        }
        return policy;
    }

    /**
     * Consents and dead letters have no patient key of their own: they are sealed with the node's key for unlinked
     * records (rotating the KEK keeps them readable; a patient's erasure deletes their consents).
     */
    public RecordCipher unlinkedRecords() throws SQLException {
        if (unlinked == null) {
            unlinked = db.inTransaction(c -> dataKeys().forWriting(c, KeyOwner.unlinkedRecords()));
        }
        return unlinked;
    }

    public JdbcConsentRegistry consents() throws SQLException {
        if (consents == null) {
            consents = new JdbcConsentRegistry(fhir, new RecordCipherPayloads(unlinkedRecords()), clock);
        }
        return consents;
    }

    /**
     * The journal, with device bindings and consent intake (consents that connectors deliver are registered in the
     * journal's own transaction). Records are labelled with the active policy's lists, read when they are needed,
     * so a command that never appends never loads the policy set.
     */
    public JdbcJournal journal() throws SQLException {
        if (journal == null) {
            journal = new JdbcJournal(db, dataKeys(), patients(), new DeviceRegistry(keys().identifierHashes(), clock),
                    fhir, new JdbcJournal.Settings(this::currentLabels, new ConsentIntake(consents(), audit()), clock));
        }
        return journal;
    }

    /**
     * The Kafka journal (docs/scale-out.md): records linked, sealed and labelled as by {@link #journal()}, sent to
     * the journal topic. The caller closes it (its producer).
     *
     * @param clientId the producer's client id in Kafka
     */
    public KafkaJournal kafkaJournal(NodeConfig.Journal kafka, String clientId) throws SQLException {
        return new KafkaJournal(db, dataKeys(), patients(), new DeviceRegistry(keys().identifierHashes(), clock), fhir,
                new JdbcJournal.Settings(this::currentLabels, new ConsentIntake(consents(), audit()), clock),
                KafkaJournal.producer(kafka.bootstrap(), clientId), kafka.topic());
    }

    /** The sensitivity code lists of the active policy (loading it if needed). */
    public SensitivityLabels currentLabels() {
        try {
            return policy().labels();
        } catch (PolicyException e) {
            // policy() is loaded before anything is journalled or dispatched; this is a command that never does.
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public DeadLetters deadLetters() throws SQLException {
        return new DeadLetters(db, unlinkedRecords(), clock);
    }

    /** The dispatcher: the node's policy, consent registry and the plugins' retry settings. */
    public Dispatcher dispatcher() throws SQLException, PolicyException {
        if (dispatcher == null) {
            dispatcher = new Dispatcher(db, journal(), policy(), patients(), keys().pseudonyms(), dataKeys(),
                    audit(), fhir, new Dispatcher.Settings(clock, ConsentGate.of(consents(), config.consent(), fhir,
                            clock), config.plugins().retry()));
        }
        return dispatcher;
    }

    /**
     * This node as a federated site, when its configuration has {@code federation:} with serving on: answering
     * over this node's journal, through the consent gate and active policy dispatch uses, into this audit chain.
     * Empty when the node does not serve. The caller starts and closes it.
     */
    public Optional<NodeFederation> federation() throws ConfigException, SQLException, PolicyException,
            java.io.IOException {
        Optional<NodeConfig.Federation> serving = config.federation().filter(NodeConfig.Federation::serve);
        if (serving.isEmpty()) {
            return Optional.empty();
        }
        PolicyHolder holder = policy();
        JournalSiteRecords records = new JournalSiteRecords(db, journal(),
                ConsentGate.of(consents(), config.consent(), fhir, clock));
        return Optional.of(NodeFederation.prepare(config, serving.get(), () -> holder.current().federated(), records,
                auditLog(), clock));
    }

    /** Loads, verifies and starts the configured plugins (the caller closes the host). */
    public PluginHost loadPlugins() throws java.io.IOException {
        return PluginHost.load(config.plugins(), config.node().dataDir().resolve("verified-plugins"),
                config.policies().purposes(), clock);
    }

    /**
     * Loads and starts the connector plugins that {@code twins}' scan of the plugin directory found and checked (the
     * caller closes the host).
     *
     * @param builtInTypes the node's own connector types, which no plugin may replace
     */
    public org.twinbridge.runtime.plugin.ConnectorPluginHost loadConnectorPlugins(PluginHost twins,
            java.util.Set<String> builtInTypes) throws java.io.IOException {
        return twins.loadConnectors(config.node().dataDir().resolve("verified-connectors"), builtInTypes);
    }

    /** Parked deliveries and dead letters, with replay through this assembly's dispatcher. */
    public DeadLetterService deadLetterService(List<Subscriber> subscribers) throws SQLException, PolicyException {
        return new DeadLetterService(db, Optional.of(dispatcher().redelivery(subscribers)), audit(), clock);
    }

    /** Listing and dropping dead letters: needs no keys, policy or plugins. */
    public DeadLetterService deadLetterAdmin() {
        return DeadLetterService.withoutReplay(db, audit(), clock);
    }

    public List<SinkWorker> sinks(List<Subscriber> subscribers) throws SQLException, ConfigException {
        Map<String, String> purposes = new HashMap<>();
        subscribers.forEach(s -> purposes.putIfAbsent(s.id(), s.purpose()));
        return Sinks.workers(config, db, dataKeys(), journal(), patients(), purposes, audit(), clock);
    }

    public OutputTable outputs() {
        return new OutputTable(db, dataKeys(), fhir);
    }

    public ConsentImport consentImport() throws SQLException {
        return new ConsentImport(db, patients(), consents(), audit());
    }

    /** Reading, storing and withdrawing consents, for the admin API and {@code twinbridge consent}. */
    public ConsentAdmin consentAdmin() throws SQLException {
        return new RegistryConsentAdmin(db, consents(), consentImport(), audit());
    }

    /** Patient ids to internal patient keys through the patient index. */
    public PatientResolver patientResolver() {
        return new IndexedPatientResolver(db, patients());
    }

    /** Appending to, querying and verifying the audit trail; verifying needs keys, the rest does not. */
    public AuditLog auditLog() {
        return new TransactionalAuditLog(db, audit(), () -> keys().auditVerifier(),
                new TransactionalAuditLog.Settings(config.node().id(), config.audit().checkpointInterval()));
    }

    /** Counts per connector and plugin (no keys needed), the journal head and the decrypted journal (keys needed). */
    public PipelineStats pipelineStats() {
        return new JdbcPipelineStats(db, this::journal);
    }

    /** A patient's twin outputs, the patient key mapped to each plugin's pseudonym. */
    public TwinOutputs twinOutputs() {
        OutputTable outputs = outputs();
        Pseudonyms pseudonyms = keys().pseudonyms();
        return (pluginId, patientKey, limit) -> outputs.latestFor(pluginId,
                Dispatcher.subjectOf(pseudonyms, pluginId, patientKey), limit);
    }

    /** Re-wrapping data keys under the current KEK, audited. */
    public KeyRewrap keyRewrap() {
        if (rewrap == null) {
            rewrap = new KeyRewrap(db, dataKeys(), audit());
        }
        return rewrap;
    }

    /** Listing, re-wrapping and retiring the node's keys, for {@code twinbridge keys}. */
    public KeyAdmin keyAdmin() {
        return new StoredKeyAdmin(db, keys(), config.keys().keystore(), keyRewrap(), audit());
    }

    public PatientErasure erasure() throws SQLException {
        return new PatientErasure(db, journal(), patients(), consents(),
                new PluginErasure(keys().pseudonyms(), dataKeys(), clock), audit());
    }

    /** Opens the configured database; the password is zeroed once the pool has it. */
    public static Database openDatabase(NodeConfig.Storage storage) throws ConfigException {
        char[] password = storage.password().isPresent() ? storage.password().get().reveal() : null;
        try {
            return Database.open(storage.url(), storage.user().orElse(null), password);
        } finally {
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
            }
        }
    }

    /** The policy a node starts with: its policy set, or its plain allow-list, or deny-all. */
    public static PolicyHolder initialPolicy(NodeConfig.Policies policies, FhirContext fhir) throws PolicyException {
        if (policies.dir().isPresent()) {
            PolicyHolder.Active active = PolicyReloader.load(policies.dir().get(), fhir);
            LOG.info("TB-POLICY-040 activated {}", active.description());
            return new PolicyHolder(active);
        }
        if (policies.allow().isEmpty()) {
            LOG.warn("TB-POLICY-042 no policies configured (neither policies.dir nor policies.allow): every record "
                    + "is denied to every plugin");
        }
        AllowListDecisionPoint allowList = new AllowListDecisionPoint(policies.allow());
        return new PolicyHolder(new PolicyHolder.Active(allowList, SensitivityLabels.none(),
                "allow-list " + allowList.policyVersion()));
    }
}
