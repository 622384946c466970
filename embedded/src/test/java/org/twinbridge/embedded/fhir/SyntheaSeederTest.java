package org.twinbridge.embedded.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheaSeederTest {

    private static final String BUNDLE = "Clemente_Kreiger_1484a42d-0eaf-4654-9cbf-6b050a5cd73b.json";
    private static final String PATIENT_ID = "d78af07c-9cb9-4f31-9b11-c45a28f2eec8";
    private final FhirContext fhir = FhirContext.forR4Cached();
    private final InMemoryFhirStore store = new InMemoryFhirStore();
    private final SyntheaSeeder seeder = new SyntheaSeeder(fhir, store);

    @Test
    void loadClasspath_storesSupportedTypes_andCountsTheSkippedOnes() throws IOException {
        SeedSummary summary = seeder.loadClasspath("/synthea/");

        assertThat(summary.bundles()).isEqualTo(1);
        assertThat(summary.patients()).isEqualTo(1);
        assertThat(summary.loadedByType()).isEqualTo(Map.of(
                "Condition", 1, "DiagnosticReport", 4, "Encounter", 3, "Immunization", 4, "Observation", 48,
                "Organization", 1, "Patient", 1, "Practitioner", 1, "Procedure", 1));
        assertThat(summary.skippedByType()).isEqualTo(
                Map.of("Claim", 3, "ExplanationOfBenefit", 3));
        assertThat(summary.unresolvedReferences()).isZero();
        assertThat(store.countsByType()).isEqualTo(summary.loadedByType());
    }

    @Test
    void load_keepsTheFullUrlUuidAsId_andRewritesUrnUuidReferencesToTypeAndId() throws IOException {
        seeder.loadClasspath("synthea");

        assertThat(store.read(Patient.class, PATIENT_ID)).isPresent();
        assertThat(store.read(Observation.class, "2fff439b-abfd-42a4-b17c-07f2cc59fbc9"))
                .hasValueSatisfying(o -> {
                    assertThat(o.getSubject().getReference()).isEqualTo("Patient/" + PATIENT_ID);
                    assertThat(o.getEncounter().getReference())
                            .isEqualTo("Encounter/afcee359-ffbb-4ae0-b54f-547eb3c58e68");
                });
        for (Class<? extends Resource> type : store.resourceTypes()) {
            assertThat(store.search(type, r -> true)).allSatisfy(r ->
                    assertThat(fhir.newJsonParser().encodeResourceToString(r)).doesNotContain("urn:uuid:"));
        }
    }

    @Test
    void load_referenceToNoEntry_isCountedAndLeftAlone() {
        Bundle bundle = new Bundle();
        bundle.addEntry().setFullUrl("urn:uuid:o1")
                .setResource(new Observation().setSubject(new Reference("urn:uuid:missing")));

        SeedSummary summary = seeder.load(bundle);

        assertThat(summary.unresolvedReferences()).isEqualTo(1);
        assertThat(store.read(Observation.class, "o1").orElseThrow().getSubject().getReference())
                .isEqualTo("urn:uuid:missing");
    }

    @Test
    void load_directory_readsEveryJsonFileInIt(@TempDir Path dir) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/synthea/" + BUNDLE)) {
            Files.copy(in, dir.resolve(BUNDLE));
        }
        Files.writeString(dir.resolve("notes.txt"), "not a bundle");

        SeedSummary summary = seeder.load(dir);

        assertThat(summary.bundles()).isEqualTo(1);
        assertThat(summary.loaded()).isEqualTo(64);
        assertThat(summary.skipped()).isEqualTo(6);
    }

    @Test
    void load_aFileThatIsNotABundle_failsNamingTheFile(@TempDir Path dir) throws IOException {
        Path patient = Files.writeString(dir.resolve("patient.json"), "{\"resourceType\":\"Patient\"}");

        assertThatThrownBy(() -> seeder.load(patient))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TB-EMBED-FHIR-031 " + patient);
    }

    @Test
    void loadClasspath_withoutIndex_failsSayingWhatToAdd() {
        assertThatThrownBy(() -> seeder.loadClasspath("no/such/dir"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("TB-EMBED-FHIR-032 class-path resource no/such/dir/index.txt not found");
    }

    @Test
    void seedSummary_plus_addsCountsPerType() {
        SeedSummary a = new SeedSummary(1, 1, Map.of("Patient", 1), Map.of("Claim", 2), 0);
        SeedSummary b = new SeedSummary(1, 0, Map.of("Observation", 3), Map.of("Claim", 1), 1);

        assertThat(a.plus(b)).isEqualTo(new SeedSummary(2, 1, Map.of("Observation", 3, "Patient", 1),
                Map.of("Claim", 3), 1));
        assertThat(List.of(a.plus(b).loaded(), a.plus(b).skipped())).containsExactly(4, 3);
    }
}
