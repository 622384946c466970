package org.twinbridge.connector.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twinbridge.connector.fhir.ConnectorHarness.Poll;
import org.twinbridge.embedded.fhir.EmbeddedFhirServer;
import org.twinbridge.sdk.model.CanonicalRecord;

/** The connector's timer route polling the embedded FHIR server, as a node runs it. */
class FhirPollerEmbeddedServerTest {

    private static final String CONNECTOR_ID = "ehr-main";
    private static final String PHI_CANARY = "Zebediah-Quillfeather";
    private EmbeddedFhirServer server;

    @BeforeEach
    void startServer() {
        server = EmbeddedFhirServer.start(0);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void poll_followsPagingLinks_andJournalsEveryResourceOnce() throws Exception {
        Set<String> seeded = seed(2, 120);
        try (ConnectorHarness harness = ConnectorHarness.create(CONNECTOR_ID, settings(25)).start()) {
            Poll first = harness.awaitPolls(1).get(0);

            assertThat(first.failure()).isNull();
            List<List<CanonicalRecord>> pages = harness.journal().pages().subList(0, first.pagesJournalled());
            // Patient: one page of 2; Observation: 25 + 25 + 25 + 25 + 20.
            assertThat(pages).extracting(List::size).containsExactly(2, 25, 25, 25, 25, 20);
            assertThat(harness.journal().records(0, first.pagesJournalled()))
                    .extracting(CanonicalRecord::sourceId)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(seeded);
        }
    }

    @Test
    void poll_journalsVersionlessSourceIds_underTheConnectorId() throws Exception {
        seed(2, 30);
        try (ConnectorHarness harness = ConnectorHarness.create(CONNECTOR_ID, settings(25)).start()) {
            Poll first = harness.awaitPolls(1).get(0);

            assertThat(harness.journal().records(0, first.pagesJournalled())).isNotEmpty().allSatisfy(r -> {
                assertThat(r.connectorId()).isEqualTo(CONNECTOR_ID);
                assertThat(r.sourceId()).isEqualTo(r.resource().fhirType() + "/"
                        + r.resource().getIdElement().getIdPart()).doesNotContain("_history");
                assertThat(r.unmapped()).isEmpty();
            });
        }
    }

    @Test
    void poll_storesNewestLastUpdatedOfEachType_asItsWatermark() throws Exception {
        seed(2, 60);
        try (ConnectorHarness harness = ConnectorHarness.create(CONNECTOR_ID, settings(25)).start()) {
            harness.awaitPolls(1);

            assertThat(harness.checkpoints().snapshot()).isEqualTo(Map.of(
                    "watermark:Patient", newest(Patient.class).toString(),
                    "watermark:Observation", newest(Observation.class).toString()));
        }
    }

    @Test
    void poll_afterNewResourcesAreSaved_journalsThem_andRefetchesOnlyBoundaryRecords() throws Exception {
        Set<String> seeded = seed(2, 120);
        try (ConnectorHarness harness = ConnectorHarness.create(CONNECTOR_ID, settings(25)).start()) {
            int pagesOfFirstPoll = harness.awaitPolls(1).get(0).pagesJournalled();
            // `ge` re-reads the resources stamped exactly at a watermark; the store stamps strictly increasing
            // times, so that is the newest resource of each type.
            Set<String> boundary = Set.of(newestId(Patient.class), newestId(Observation.class));

            Set<String> added = new LinkedHashSet<>();
            for (int i = 0; i < 3; i++) {
                added.add(sourceId(server.store().save(observation("late-" + i, "p-0"))));
            }
            ConnectorHarness.awaitUntil("the new observations to be journalled", () -> sourceIds(harness
                    .journal().records()).containsAll(added));
            ConnectorHarness.awaitUntil("the watermark to reach the new observations", () -> harness.checkpoints()
                    .get("watermark:Observation").equals(Optional.of(newest(Observation.class).toString())));

            List<CanonicalRecord> all = harness.journal().records();
            assertThat(sourceIds(all)).containsAll(seeded).containsAll(added);
            Set<String> afterFirstPoll = sourceIds(all.subList(
                    harness.journal().records(0, pagesOfFirstPoll).size(), all.size()));
            Set<String> refetched = new HashSet<>(afterFirstPoll);
            refetched.removeAll(added);
            assertThat(afterFirstPoll).containsAll(added);
            assertThat(refetched).isSubsetOf(boundary);
        }
    }

    @Test
    void poll_afterResourceIsUpdated_journalsNewVersionUnderTheSameSourceId() throws Exception {
        seed(2, 5);
        try (ConnectorHarness harness = ConnectorHarness.create(CONNECTOR_ID, settings(25)).start()) {
            harness.awaitPolls(1);

            Patient changed = patient(0);
            changed.addName(new HumanName().setFamily("Renamed"));
            server.store().save(changed);

            ConnectorHarness.awaitUntil("version 2 of Patient/p-0 to be journalled", () -> harness.journal()
                    .records().stream().anyMatch(r -> r.sourceId().equals("Patient/p-0")
                            && "2".equals(r.resource().getMeta().getVersionId())));
        }
    }

    @Test
    void poll_whenJournalFails_throwsFhirPollException_withoutRecordContent_andKeepsWatermark() throws Exception {
        seed(2, 30);
        try (ConnectorHarness harness = ConnectorHarness.create(CONNECTOR_ID, settings(25))) {
            // The journal's own message carries record content, as a database constraint message can.
            harness.journal().failAfter(0, "duplicate key for patient " + PHI_CANARY);
            harness.start();

            Throwable failure = harness.awaitFailure();

            assertThat(failure).isInstanceOf(FhirPollException.class);
            assertThat(failure.getMessage()).startsWith("TB-CONN-FHIR-001").contains(CONNECTOR_ID)
                    .contains("Patient").contains("journal");
            assertThat(Throwables.chainText(failure)).noneMatch(t -> t.contains(PHI_CANARY) || t.contains("p-0"));
            assertThat(harness.journal().pages()).isEmpty();
            assertThat(harness.checkpoints().snapshot()).isEmpty();
        }
    }

    @Test
    void poll_whenJournalFailsOnALaterPage_doesNotAdvanceWatermark_andRetriesEverythingAfterRecovery()
            throws Exception {
        Set<String> seeded = seed(0, 60);
        try (ConnectorHarness harness = ConnectorHarness.create(CONNECTOR_ID, settings(25))) {
            harness.journal().failAfter(1, "journal unavailable");
            harness.start();

            Throwable failure = harness.awaitFailure();

            assertThat(failure).isInstanceOf(FhirPollException.class);
            assertThat(harness.journal().pages()).hasSize(1);
            assertThat(harness.checkpoints().get("watermark:Observation")).isEmpty();

            harness.journal().recover();
            ConnectorHarness.awaitUntil("the watermark after recovery",
                    () -> harness.checkpoints().get("watermark:Observation").isPresent());
            assertThat(sourceIds(harness.journal().records())).containsAll(seeded);
            assertThat(harness.checkpoints().get("watermark:Observation"))
                    .contains(newest(Observation.class).toString());
        }
    }

    private Map<String, Object> settings(int pageSize) {
        return Map.of("base-url", server.baseUrl(), "poll", "100ms", "resources", List.of("Patient", "Observation"),
                "page-size", Integer.toString(pageSize));
    }

    /** Saves patients p-0.. and observations o-0.. spread over them; returns their source ids. */
    private Set<String> seed(int patients, int observations) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < patients; i++) {
            ids.add(sourceId(server.store().save(patient(i))));
        }
        for (int i = 0; i < observations; i++) {
            ids.add(sourceId(server.store().save(observation("o-" + i, "p-" + (i % Math.max(1, patients))))));
        }
        return ids;
    }

    private static Patient patient(int i) {
        Patient patient = new Patient();
        patient.setId("p-" + i);
        patient.addName(new HumanName().setFamily(PHI_CANARY).addGiven("Test" + i));
        return patient;
    }

    private static Observation observation(String id, String patientId) {
        Observation observation = new Observation();
        observation.setId(id);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().setText("heart rate of " + PHI_CANARY);
        observation.setSubject(new Reference("Patient/" + patientId));
        return observation;
    }

    private <T extends Resource> Instant newest(Class<T> type) {
        List<T> all = server.store().search(type, r -> true);
        return all.get(all.size() - 1).getMeta().getLastUpdated().toInstant();
    }

    private <T extends Resource> String newestId(Class<T> type) {
        List<T> all = server.store().search(type, r -> true);
        return sourceId(all.get(all.size() - 1));
    }

    private static String sourceId(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    private static Set<String> sourceIds(List<CanonicalRecord> records) {
        return records.stream().map(CanonicalRecord::sourceId).collect(Collectors.toSet());
    }
}
