package org.twinbridge.runtime.journal;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DeviceUseStatement;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.deadletter.DeadLetters;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Device readings link to patients through the device registry; a reading of an unbound device is held, counted,
 * and moved into the journal, linked, when its device is bound.
 */
class DeviceBindingTest {

    private static final String DEVICES = "urn:twinbridge:device:wards";
    @TempDir
    Path dir;
    private TestNode node;
    private String pgUrl;

    private void open(String database) throws Exception {
        if (database.equals("postgresql")) {
            pgUrl = TestDatabases.createPostgres();
            node = TestNode.open(dir, TestDatabases.postgres(pgUrl));
        } else {
            node = TestNode.open(dir, TestDatabases.embedded(dir));
        }
    }

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
        if (pgUrl != null) {
            TestDatabases.dropPostgres(pgUrl);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void unboundReading_isHeldCountedAndReleasedLinkedWhenTheDeviceIsBound(String database) throws Exception {
        open(database);
        Patient patient = new Patient();
        patient.setId("p-1");
        patient.addIdentifier().setSystem("urn:mrn").setValue("MRN-1");
        node.journal().append(List.of(CanonicalRecord.of("ehr", "Patient/p-1", patient)));
        long head = node.journal().headPosition();

        AppendResult first = node.journal().append(List.of(reading("r-1", "w-1", 72)));
        AppendResult again = node.journal().append(List.of(reading("r-1", "w-1", 72)));

        assertThat(first).isEqualTo(new AppendResult(0, 0, 1));
        assertThat(again).isEqualTo(new AppendResult(0, 1, 0));
        assertThat(node.journal().headPosition()).isEqualTo(head);
        assertThat(JournalCounts.read(node.db()).get("wards").held()).isEqualTo(1);

        AppendResult binding = node.journal().append(List.of(CanonicalRecord.of("wards", "binding/w-1",
                binding("w-1", "urn:twinbridge:source:ehr", "Patient/p-1"))));

        assertThat(binding.added()).isEqualTo(2);
        JournalCounts.ConnectorCounts wards = JournalCounts.read(node.db()).get("wards");
        assertThat(wards.held()).isZero();
        assertThat(wards.unlinked()).isZero();
        List<JournalEntry> entries = node.db().inTransaction(c -> node.journal().readAfter(c, head, 100));
        String patientKey = node.db().inTransaction(c -> node.patients().resolve(c, "ehr", "Patient/p-1")).orElseThrow();
        assertThat(entries).extracting(e -> e.resource().fhirType()).containsExactly("Device", "Observation");
        assertThat(entries).allMatch(e -> e.patientKey().equals(java.util.Optional.of(patientKey)));

        node.journal().append(List.of(reading("r-2", "w-1", 75)));
        JournalEntry later = node.db().inTransaction(c -> node.journal().readAfter(c, head + 2, 1)).get(0);
        assertThat(later.patientKey()).contains(patientKey);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void bindingByPatientIdentifier_andByDeviceUseStatement_bothLink(String database) throws Exception {
        open(database);
        Patient patient = new Patient();
        patient.setId("p-2");
        patient.addIdentifier().setSystem("urn:mrn").setValue("MRN-2");
        node.journal().append(List.of(CanonicalRecord.of("ehr", "Patient/p-2", patient),
                CanonicalRecord.of("wards", "binding/w-2", binding("w-2", "urn:mrn", "MRN-2"))));
        DeviceUseStatement use = new DeviceUseStatement();
        use.setId("dus-1");
        use.setStatus(DeviceUseStatement.DeviceUseStatementStatus.ACTIVE);
        use.setSubject(new Reference("Patient/p-2"));
        use.setDevice(new Reference().setIdentifier(new Identifier().setSystem(DEVICES).setValue("w-3")));
        node.journal().append(List.of(CanonicalRecord.of("ehr", "DeviceUseStatement/dus-1", use)));

        node.journal().append(List.of(reading("r-3", "w-2", 70), reading("r-4", "w-3", 71)));

        String patientKey = node.db().inTransaction(c -> node.patients().resolve(c, "ehr", "Patient/p-2")).orElseThrow();
        List<JournalEntry> all = node.db().inTransaction(c -> node.journal().readAfter(c, 0, 100));
        assertThat(all).filteredOn(e -> e.resource() instanceof Observation)
                .extracting(e -> e.patientKey().orElse("none")).containsExactly(patientKey, patientKey);
        assertThat(JournalCounts.read(node.db()).get("wards").held()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void deadLetters_areCountedOncePerPayload_withoutContentInTheReason(String database) throws Exception {
        open(database);
        DeadLetters letters = new DeadLetters(node.db(), TestNode.unlinked(node.db(), node.keys()), Clock.systemUTC());
        byte[] payload = "pulse 72 for Jane Roe".getBytes(StandardCharsets.UTF_8);

        letters.record(new DeadLetter("wards", "TB-PAYLOAD-001", "not valid JSON at line 1, column 7", payload));
        letters.record(new DeadLetter("wards", "TB-PAYLOAD-001", "not valid JSON at line 1, column 7", payload));

        Map<String, JournalCounts.ConnectorCounts> counts = JournalCounts.read(node.db());
        assertThat(counts.get("wards").deadLetters()).isEqualTo(1);
        assertThat(letters.latest(10)).singleElement().satisfies(e -> {
            assertThat(e.occurrences()).isEqualTo(2);
            assertThat(e.payloadBytes()).isEqualTo(payload.length);
        });
        byte[] stored = node.db().inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT payload FROM dead_letter"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        });
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("Jane");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void distinctRejectedInputs_areDistinctDeadLetters_eachWithItsOwnReason(String database) throws Exception {
        open(database);
        DeadLetters letters = new DeadLetters(node.db(), TestNode.unlinked(node.db(), node.keys()), Clock.systemUTC());
        // Seven files rejected without a payload (too large to read) differ only by their origin.
        for (int i = 1; i <= 7; i++) {
            letters.record(new DeadLetter("drop", "TB-FILE-001", "the file is " + (1000 + i) + " bytes, more than "
                    + "max-size (64)", new byte[0], "file:big-" + i + ".json"));
        }
        // The same bytes rejected for another reason are news too; the same bytes for the same reason are not.
        byte[] bytes = {(byte) 0xC3, 0x28};
        letters.record(new DeadLetter("drop", "TB-FILE-005", "the file is not valid UTF-8 (byte offset 0)", bytes,
                "file:a.json"));
        letters.record(new DeadLetter("drop", "TB-FILE-005", "the file is not valid UTF-8 (byte offset 0)", bytes,
                "file:a.json"));
        letters.record(new DeadLetter("drop", "TB-FILE-004", "the file could not be read or parsed", bytes,
                "file:a.json"));

        List<DeadLetters.Entry> entries = letters.latest(100);
        assertThat(entries).hasSize(9);
        assertThat(entries).filteredOn(e -> e.reasonCode().equals("TB-FILE-001")).extracting(DeadLetters.Entry::reason)
                .containsExactlyInAnyOrder(java.util.stream.IntStream.rangeClosed(1, 7)
                        .mapToObj(i -> "the file is " + (1000 + i) + " bytes, more than max-size (64)")
                        .toArray(String[]::new));
        assertThat(entries).filteredOn(e -> e.reasonCode().equals("TB-FILE-005")).singleElement()
                .satisfies(e -> assertThat(e.occurrences()).isEqualTo(2));
        assertThat(JournalCounts.read(node.db()).get("drop").deadLetters()).isEqualTo(9);
    }

    private static CanonicalRecord reading(String id, String device, int bpm) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        obs.setValue(new Quantity().setValue(bpm).setUnit("/min"));
        obs.setDevice(new Reference().setType("Device")
                .setIdentifier(new Identifier().setSystem(DEVICES).setValue(device)));
        return CanonicalRecord.of("wards", "omh/" + id, obs);
    }

    private static Device binding(String device, String patientSystem, String patientValue) {
        Device d = new Device();
        d.setStatus(Device.FHIRDeviceStatus.ACTIVE);
        d.addIdentifier().setSystem(DEVICES).setValue(device);
        d.setPatient(new Reference().setType("Patient")
                .setIdentifier(new Identifier().setSystem(patientSystem).setValue(patientValue)));
        return d;
    }
}
