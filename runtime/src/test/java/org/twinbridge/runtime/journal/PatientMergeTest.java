package org.twinbridge.runtime.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Patient merges in the patient index: a Patient that is {@code replaced-by} another (what an HL7 v2 A40
 * becomes) retires its patient key, and from then on everything that named the replaced patient, from any
 * source, resolves to the survivor.
 */
class PatientMergeTest {

    private static final String LAB = "lab";
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

    private static Patient patient(String id, String mrn) {
        Patient patient = new Patient();
        patient.setId(id);
        patient.addIdentifier().setSystem("http://hospital.example.org/mrn").setValue(mrn);
        return patient;
    }

    private static Patient replaces(Patient survivor, String replacedId) {
        survivor.addLink().setType(Patient.LinkType.REPLACES).setOther(new Reference("Patient/" + replacedId));
        return survivor;
    }

    private static Patient replacedBy(String id, String mrn, String survivorId) {
        Patient replaced = patient(id, mrn);
        replaced.setActive(false);
        replaced.addLink().setType(Patient.LinkType.REPLACEDBY).setOther(new Reference("Patient/" + survivorId));
        return replaced;
    }

    private static Observation observation(String id, String patientId) {
        Observation obs = new Observation();
        obs.setId(id);
        obs.getCode().addCoding().setSystem("http://loinc.org").setCode("2345-7");
        obs.setSubject(new Reference("Patient/" + patientId));
        return obs;
    }

    private void append(String connector, Resource... resources) throws Exception {
        node.journal().append(List.of(resources).stream()
                .map(r -> CanonicalRecord.of(connector, r.fhirType() + "/" + r.getIdPart(), r))
                .toList());
    }

    private Optional<String> keyOf(String resourceId) throws Exception {
        return node.db().inTransaction(c -> node.journal().readAfter(c, 0, 1000)).stream()
                .filter(e -> e.resource().getIdPart().equals(resourceId)).reduce((a, b) -> b)
                .flatMap(JournalEntry::patientKey);
    }

    private String current(String key) throws Exception {
        String current = node.db().inTransaction(c -> node.patients().current(c, key));
        return current;
    }

    private Optional<String> resolve(String reference) throws Exception {
        Optional<String> key = node.db().inTransaction(c -> node.patients().resolve(c, LAB, reference));
        return key;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void afterAMerge_everythingThatNamedTheReplacedPatient_resolvesToTheSurvivor(String database) throws Exception {
        open(database);
        append(LAB, patient("old", "MRN-OLD"), observation("obs-before", "old"));
        append(LAB, patient("new", "MRN-NEW"));
        String oldKey = keyOf("old").orElseThrow();
        String newKey = keyOf("new").orElseThrow();
        assertThat(oldKey).isNotEqualTo(newKey);

        append(LAB, replaces(patient("new", "MRN-NEW"), "old"), replacedBy("old", "MRN-OLD", "new"));
        append(LAB, observation("obs-after", "old"));
        append("ehr", patient("ehr-7", "MRN-OLD"));

        assertThat(keyOf("obs-after")).contains(newKey);
        assertThat(keyOf("ehr-7")).as("the old MRN from another source").contains(newKey);
        assertThat(keyOf("obs-before")).as("the journal is append-only").contains(oldKey);
        assertThat(current(oldKey)).isEqualTo(newKey);
        assertThat(current(newKey)).isEqualTo(newKey);
        assertThat(resolve("Patient/old")).contains(newKey);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void mergeIntoASurvivorNotSeenBefore_createsIt(String database) throws Exception {
        open(database);
        append(LAB, patient("old", "MRN-OLD"));
        String oldKey = keyOf("old").orElseThrow();

        append(LAB, replacedBy("old", "MRN-OLD", "unseen"));

        String survivor = resolve("Patient/unseen")
                .orElseThrow();
        assertThat(survivor).isNotEqualTo(oldKey);
        assertThat(current(oldKey)).isEqualTo(survivor);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void chainedMerges_stayFlat_andAMergeBackChangesNothing(String database) throws Exception {
        open(database);
        append(LAB, patient("a", "MRN-A"), patient("b", "MRN-B"), patient("c", "MRN-C"));
        String a = keyOf("a").orElseThrow();
        String b = keyOf("b").orElseThrow();
        String c = keyOf("c").orElseThrow();

        append(LAB, replacedBy("a", "MRN-A", "b"));
        append(LAB, replacedBy("b", "MRN-B", "c"));
        append(LAB, replacedBy("c", "MRN-C", "a"));

        assertThat(current(a)).isEqualTo(c);
        assertThat(current(b)).isEqualTo(c);
        assertThat(current(c)).isEqualTo(c);
        append(LAB, observation("obs", "a"));
        assertThat(keyOf("obs")).contains(c);
    }
}
