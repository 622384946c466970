package org.twinbridge.embedded.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedFhirServerTest {

    // From the test bundle synthea/Clemente_Kreiger_...json (see the README there).
    private static final String SEEDED_PATIENT_ID = "d78af07c-9cb9-4f31-9b11-c45a28f2eec8";
    private static final int SEEDED_OBSERVATIONS = 48;
    private final FhirContext fhir = FhirContext.forR4Cached();
    private EmbeddedFhirServer server;
    private IGenericClient client;
    private Date beforeSeeding;
    private SeedSummary seeded;

    @BeforeAll
    void startAndSeed() throws Exception {
        long started = System.nanoTime();
        server = EmbeddedFhirServer.start(0);
        System.out.printf("embedded FHIR server start took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        beforeSeeding = new Date();
        Thread.sleep(2); // the seeded stamps must be strictly after beforeSeeding even at millisecond precision
        seeded = new SyntheaSeeder(fhir, server.store()).loadClasspath("synthea");
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = fhir.newRestfulGenericClient(server.baseUrl());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void baseUrl_isLoopbackWithTheBoundEphemeralPort() {
        assertThat(server.port()).isPositive();
        assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/fhir");
    }

    @Test
    void read_seededPatient_returnsVersionOne() {
        String id = SEEDED_PATIENT_ID;

        Patient patient = client.read().resource(Patient.class).withId(id).execute();

        assertThat(patient.getIdElement().getIdPart()).isEqualTo(id);
        assertThat(patient.getMeta().getVersionId()).isEqualTo("1");
        assertThat(patient.getMeta().getLastUpdated()).isAfter(beforeSeeding);
    }

    @Test
    void read_unknownId_isNotFound() {
        assertThatThrownBy(() -> client.read().resource(Patient.class).withId("no-such-patient").execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void searchByLastUpdatedGt_pagingThroughNextLinks_returnsEverySeededObservationOnceInOrder() {
        List<Observation> all = searchAll(Observation.class, beforeSeeding, 20);

        assertThat(seeded.loadedByType()).containsEntry("Observation", SEEDED_OBSERVATIONS);
        assertThat(all).hasSize(SEEDED_OBSERVATIONS);
        assertThat(all).extracting(o -> o.getIdElement().getIdPart()).doesNotHaveDuplicates();
        assertThat(all).extracting(o -> o.getMeta().getLastUpdated()).isSorted();
    }

    @Test
    void seededResources_referToEachOtherByTypeAndId_notByUrnUuid() {
        List<Resource> everything = new ArrayList<>();
        for (Class<? extends Resource> type : server.store().resourceTypes()) {
            everything.addAll(searchAll(type, beforeSeeding, 200));
        }

        assertThat(everything).hasSize(seeded.loaded());
        assertThat(everything).allSatisfy(r ->
                assertThat(fhir.newJsonParser().encodeResourceToString(r)).doesNotContain("urn:uuid:"));
        assertThat(searchAll(Observation.class, beforeSeeding, 200))
                .allSatisfy(o -> assertThat(o.getSubject().getReference()).isEqualTo("Patient/" + SEEDED_PATIENT_ID));
    }

    @Test
    void searchByPatient_returnsThatPatientsObservations() {
        Bundle page = client.search().forResource(Observation.class)
                .where(new ReferenceClientParam("patient").hasId("Patient/" + SEEDED_PATIENT_ID))
                .count(EmbeddedFhirServer.MAX_PAGE_SIZE).returnBundle(Bundle.class).execute();

        assertThat(page.getEntry()).hasSize(SEEDED_OBSERVATIONS);
    }

    @Test
    void search_withoutCount_pagesByTheDefaultPageSize() {
        try (EmbeddedFhirServer own = EmbeddedFhirServer.start(0)) {
            IGenericClient ownClient = fhir.newRestfulGenericClient(own.baseUrl());
            for (int i = 0; i < EmbeddedFhirServer.DEFAULT_PAGE_SIZE + 5; i++) {
                own.store().save(new Device().setLotNumber("lot-" + i));
            }

            Bundle first = ownClient.search().forResource(Device.class).returnBundle(Bundle.class).execute();

            assertThat(first.getEntry()).hasSize(EmbeddedFhirServer.DEFAULT_PAGE_SIZE);
            assertThat(first.getLink(Bundle.LINK_NEXT)).isNotNull();
            assertThat(ownClient.loadPage().next(first).execute().getEntry()).hasSize(5);
        }
    }

    @Test
    void update_bumpsVersionAndLastUpdated_andAppearsInALaterGtSearch() throws Exception {
        try (EmbeddedFhirServer own = EmbeddedFhirServer.start(0)) {
            new SyntheaSeeder(fhir, own.store()).loadClasspath("synthea");
            IGenericClient ownClient = fhir.newRestfulGenericClient(own.baseUrl());
            List<Observation> before = searchAll(ownClient, Observation.class, new Date(0), 200);
            Observation target = before.get(0);
            Date watermark = before.get(before.size() - 1).getMeta().getLastUpdated();
            String id = target.getIdElement().getIdPart();
            target.setStatus(Observation.ObservationStatus.AMENDED);

            MethodOutcome outcome = ownClient.update().resource(target).withId(id).execute();
            Observation updated = ownClient.read().resource(Observation.class).withId(id).execute();

            assertThat(outcome.getCreated()).isNotEqualTo(Boolean.TRUE);
            assertThat(updated.getMeta().getVersionId()).isEqualTo("2");
            assertThat(updated.getMeta().getLastUpdated()).isAfter(watermark);
            assertThat(updated.getStatus()).isEqualTo(Observation.ObservationStatus.AMENDED);
            assertThat(searchAll(ownClient, Observation.class, watermark, 50))
                    .extracting(o -> o.getIdElement().getIdPart()).containsExactly(id);
            Observation first = ownClient.read().resource(Observation.class).withIdAndVersion(id, "1").execute();
            assertThat(first.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        }
    }

    @Test
    void create_assignsAFreshIdAndVersionOne() {
        try (EmbeddedFhirServer own = EmbeddedFhirServer.start(0)) {
            IGenericClient ownClient = fhir.newRestfulGenericClient(own.baseUrl());

            MethodOutcome outcome = ownClient.create().resource(new Patient().setActive(true).setId("ignored"))
                    .execute();

            String id = outcome.getId().getIdPart();
            assertThat(outcome.getCreated()).isTrue();
            assertThat(id).isNotEqualTo("ignored");
            assertThat(outcome.getId().getVersionIdPart()).isEqualTo("1");
            assertThat(own.store().read(Patient.class, id)).isPresent();
        }
    }

    private <T extends Resource> List<T> searchAll(Class<T> type, Date after, int pageSize) {
        return searchAll(client, type, after, pageSize);
    }

    private static <T extends Resource> List<T> searchAll(IGenericClient client, Class<T> type, Date after,
            int pageSize) {
        List<T> all = new ArrayList<>();
        Bundle page = client.search().forResource(type).lastUpdated(greaterThan(after)).count(pageSize)
                .returnBundle(Bundle.class).execute();
        while (true) {
            page.getEntry().forEach(e -> all.add(type.cast(e.getResource())));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return all;
            }
            page = client.loadPage().next(page).execute();
        }
    }

    private static DateRangeParam greaterThan(Date after) {
        return new DateRangeParam().setLowerBound(new DateParam(ParamPrefixEnum.GREATERTHAN, after));
    }

}
