package org.twinbridge.runtime.sink;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.twinbridge.policy.decision.AllowListDecisionPoint;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.testing.MovableClock;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * A node's storage with one patient (MRN {@link #MRN}), an alert twin that raises one Flag per heart rate, and
 * helpers to make sink workers on a clock the test moves.
 */
final class SinkFixture implements AutoCloseable {

    static final String PLUGIN = "alert-twin";
    static final String MRN = "MRN-20240517";
    static final String MRN_SYSTEM = "http://hospital.example/mrn";
    final Path dir;
    private final java.util.function.Supplier<org.twinbridge.runtime.storage.Database> database;
    final MovableClock clock = new MovableClock(Instant.parse("2025-03-01T12:00:00Z"));
    TestNode node;
    private int observations;

    SinkFixture(Path dir) throws Exception {
        this(dir, () -> TestDatabases.embedded(dir));
    }

    /** On another database, for example a fresh PostgreSQL one. */
    SinkFixture(Path dir, java.util.function.Supplier<org.twinbridge.runtime.storage.Database> database)
            throws Exception {
        this.dir = dir;
        this.database = database;
        this.node = TestNode.open(dir, database.get());
    }

    /** Closes and reopens the node's storage, as a restart does. */
    void restart() throws Exception {
        node.close();
        node = TestNode.onKeystore(node.keystore(), database.get());
    }

    static NodeConfig.Sink sink(String id, String type, String purpose, String target) {
        return new NodeConfig.Sink(id, type, purpose, Set.of(), Set.of(), Optional.ofNullable(target),
                type.equals("mqtt") ? Optional.of("alerts/{plugin}/{kind}") : Optional.empty(), Optional.empty(),
                Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(5));
    }

    SinkWorker worker(NodeConfig.Sink config, String pluginPurpose) throws Exception {
        SinkWorker worker = new SinkWorker(config, Sinks.create(config, TestNode.NODE_ID), TestNode.NODE_ID,
                node.db(), node.keys().dataKeys(), new Reidentifier(node.journal(), node.patients()),
                Map.of(PLUGIN, pluginPurpose), node.audit(), clock);
        worker.place(); // as a node does at start
        return worker;
    }

    /** Journals the patient (once) and {@code n} heart rates, and lets the alert twin raise one alert each. */
    void alerts(int n, String pluginPurpose) throws Exception {
        List<CanonicalRecord> records = new ArrayList<>();
        if (observations == 0) {
            Patient patient = new Patient();
            patient.setId("p1");
            patient.addIdentifier().setSystem(MRN_SYSTEM).setValue(MRN);
            patient.addName().setFamily("Quimby");
            records.add(CanonicalRecord.of("ehr", "Patient/p1", patient));
        }
        for (int i = 0; i < n; i++) {
            observations++;
            Observation o = new Observation();
            o.setId("o" + observations);
            o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
            o.setSubject(new Reference("Patient/p1"));
            o.setValue(new Quantity().setValue(130 + observations));
            records.add(CanonicalRecord.of("ehr", "Observation/o" + observations, o));
        }
        node.journal().append(records);
        AlertTwin twin = new AlertTwin();
        new Dispatcher(node.db(), node.journal(), new AllowListDecisionPoint(Map.of(PLUGIN, List.of("Observation"))),
                node.patients(), node.keys().pseudonyms(), node.keys().dataKeys(), node.audit(), TestNode.FHIR,
                Dispatcher.Settings.defaults(TestNode.FHIR, clock)).dispatchBatch(new Subscriber(twin, twin.manifest(), pluginPurpose), 1000);
    }

    /** Raises a Flag about the subject for every record it gets. */
    static final class AlertTwin implements TwinModel {
        @Override
        public PluginManifest manifest() {
            return new PluginManifest(PLUGIN, "1.0.0", "test", "raises an alert per heart rate",
                    new DataRequest(Set.of("Observation"), Set.of(), Set.of("TREAT", "HRESCH")),
                    List.of(OutputKind.ALERT));
        }

        @Override
        public void onRecord(AuthorisedRecord record, TwinContext context) {
            Flag flag = new Flag();
            flag.setStatus(Flag.FlagStatus.ACTIVE);
            flag.setCode(new CodeableConcept().setText("tachycardia"));
            flag.setSubject(new Reference("Patient/" + record.subject()));
            context.emit(new TwinOutput(record.subject(), OutputKind.ALERT, flag, "tachycardia alert"));
        }

        @Override
        public void onErase(String subject, TwinContext context) {
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
