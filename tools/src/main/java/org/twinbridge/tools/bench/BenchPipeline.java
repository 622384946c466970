package org.twinbridge.tools.bench;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.runtime.audit.JdbcAuditTrail;
import org.twinbridge.runtime.consent.ConsentGate;
import org.twinbridge.runtime.consent.ConsentIntake;
import org.twinbridge.runtime.consent.RecordCipherPayloads;
import org.twinbridge.runtime.crypto.KeyOwner;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.DeviceRegistry;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.policy.PolicyHolder;
import org.twinbridge.runtime.policy.PolicyReloader;
import org.twinbridge.runtime.storage.Database;

/**
 * The node's record path, composed as {@code Node.start} composes it (storage with its migrations, keys, the
 * encrypted journal with the patient index and consent intake, the policy set, the dispatcher with its consent
 * gate, the signed audit trail), without Camel: the benchmark drives the journal and the dispatch loops itself
 * so it can time them. Plugins are in-process {@link Subscriber}s.
 */
final class BenchPipeline implements AutoCloseable {

    final Database db;
    final JdbcJournal journal;
    final Dispatcher dispatcher;
    final List<Subscriber> subscribers;

    private BenchPipeline(Database db, JdbcJournal journal, Dispatcher dispatcher, List<Subscriber> subscribers) {
        this.db = db;
        this.journal = journal;
        this.dispatcher = dispatcher;
        this.subscribers = List.copyOf(subscribers);
    }

    static BenchPipeline open(String jdbcUrl, NodeKeys keys, Path policyDir, List<Subscriber> subscribers)
            throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        Clock clock = Clock.systemUTC();
        Database db = Database.open(jdbcUrl, jdbcUrl.startsWith("jdbc:postgresql:") ? "postgres" : null, null);
        try {
            JdbcAuditTrail audit = new JdbcAuditTrail(clock, new JdbcAuditTrail.CheckpointPolicy("bench",
                    keys.auditSigner(), 1000));
            PatientIndex patients = new PatientIndex(keys.identifierHashes());
            PolicyHolder policy = new PolicyHolder(PolicyReloader.load(policyDir, fhir));
            RecordCipher unlinked = db.inTransaction(c -> keys.dataKeys().forWriting(c, KeyOwner.unlinkedRecords()));
            JdbcConsentRegistry consents = new JdbcConsentRegistry(fhir, new RecordCipherPayloads(unlinked), clock);
            JdbcJournal journal = new JdbcJournal(db, keys.dataKeys(), patients,
                    new DeviceRegistry(keys.identifierHashes()), fhir, policy::labels,
                    new ConsentIntake(consents, audit));
            Dispatcher dispatcher = new Dispatcher(db, journal, policy, patients, keys.pseudonyms(), keys.dataKeys(),
                    audit, fhir, clock, ConsentGate.of(consents, ConsentSettings.standard(), fhir, clock));
            return new BenchPipeline(db, journal, dispatcher, subscribers);
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
