package org.twinbridge.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.policy.explain.ConsentCheck;
import org.twinbridge.sdk.testing.Delivery.Outcome;

class TwinHarnessTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void withoutPolicies_deliversWhatTheManifestRequests_inEffectiveTimeOrder() throws Exception {
        PulseTwin twin = new PulseTwin();
        HarnessRun run = TwinHarness.forPlugin(twin).build().feedFiles(List.of(resource("records/pulse-bundle.json")));

        assertThat(run.deliveries()).extracting(Delivery::outcome).containsExactly(
                Outcome.NOT_REQUESTED, Outcome.NOT_REQUESTED, Outcome.DELIVERED, Outcome.DELIVERED,
                Outcome.DELIVERED);
        assertThat(twin.seen).extracting(r -> ((Observation) r.resource()).getValueQuantity().getValue().intValue())
                .containsExactly(72, 37, 96);
        assertThat(run.outputs()).extracting(o -> o.summary()).containsExactly("count 1", "count 2", "count 3");
        assertThat(twin.seen.get(0).policyVersion()).isEqualTo("manifest-request");
    }

    @Test
    void withoutPolicies_theBaselineProjectionPseudonymisesAndDropsFreeText() throws Exception {
        PulseTwin twin = new PulseTwin();
        TwinHarness harness = TwinHarness.forPlugin(twin).build();
        harness.feedFiles(List.of(resource("records/pulse-bundle.json")));

        String subject = harness.subjectOf("Patient/7f3c2a10-0000-4000-8000-000000000001");
        Observation late = (Observation) twin.seen.get(2).resource();
        assertThat(twin.seen).allSatisfy(r -> assertThat(r.subject()).isEqualTo(subject));
        assertThat(late.getSubject().getReference()).isEqualTo("Patient/" + subject);
        assertThat(late.getSubject().getDisplay()).isNull();
        assertThat(late.getIdentifier()).isEmpty();
        assertThat(late.getNote()).isEmpty();
        String json = FHIR.newJsonParser().encodeResourceToString(late);
        assertThat(json).doesNotContain("MRN-4711", "Alex", "OBS-3", "anxious", "7f3c2a10", "hr-late");
    }

    @Test
    void withPolicies_projectsToTheAllowList_andConsentGatesWhatRequiresIt() throws Exception {
        PulseTwin twin = new PulseTwin();
        HarnessRun run = TwinHarness.forPlugin(twin).policies(resource("policies")).build()
                .feedFiles(List.of(resource("records/pulse-bundle.json")));

        assertThat(run.count(Outcome.DELIVERED)).isEqualTo(2);
        Delivery temperature = run.deliveries().stream().filter(d -> d.input() == 3).findFirst().orElseThrow();
        assertThat(temperature.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(temperature.reason().orElseThrow()).contains("requires patient consent");
        assertThat(twin.seen.get(0).resource().getNamedProperty("category").hasValues()).isFalse();
        assertThat(twin.seen.get(0).policyVersion()).isNotEqualTo("manifest-request");

        PulseTwin consenting = new PulseTwin();
        HarnessRun withConsent = TwinHarness.forPlugin(consenting).policies(resource("policies"))
                .consent(ConsentCheck.given()).build().feedFiles(List.of(resource("records/pulse-bundle.json")));
        assertThat(withConsent.count(Outcome.DELIVERED)).isEqualTo(3);
    }

    @Test
    void withPolicies_aPurposeTheRulesDoNotGrant_deniesEverything() throws Exception {
        HarnessRun run = TwinHarness.forPlugin(new PulseTwin()).policies(resource("policies")).purpose("HRESCH")
                .build().feedFiles(List.of(resource("records/pulse-bundle.json")));

        assertThat(run.count(Outcome.DELIVERED)).isZero();
        assertThat(run.count(Outcome.DENIED)).isEqualTo(3);
    }

    @Test
    void aDeliveryThatThrows_keepsNeitherStateNorOutputs() {
        PulseTwin twin = new PulseTwin();
        TwinHarness harness = TwinHarness.forPlugin(twin).build();
        HarnessRun run = harness.feed(List.of(heartRate("p1", "2025-03-01T08:00:00Z", 70),
                heartRate("p1", "2025-03-01T09:00:00Z", 999), heartRate("p1", "2025-03-01T10:00:00Z", 80)));

        assertThat(run.deliveries()).extracting(Delivery::outcome)
                .containsExactly(Outcome.DELIVERED, Outcome.FAILED, Outcome.DELIVERED);
        assertThat(run.deliveries().get(1).reason()).contains(IllegalStateException.class.getName());
        assertThat(run.outputs()).extracting(o -> o.summary()).containsExactly("count 1", "count 2");
        assertThat(harness.state(harness.subjectOf("Patient/p1"), "last")).contains("80");
    }

    @Test
    void stateCarriesAcrossFeeds_andEraseForgetsTheSubject() {
        PulseTwin twin = new PulseTwin();
        TwinHarness harness = TwinHarness.forPlugin(twin).build();
        harness.feed(List.of(heartRate("p1", "2025-03-01T08:00:00Z", 70)));
        HarnessRun second = harness.feed(List.of(heartRate("p1", "2025-03-01T09:00:00Z", 75)));
        String subject = harness.subjectOf("Patient/p1");
        assertThat(second.outputs()).extracting(o -> o.summary()).containsExactly("count 2");

        assertThat(harness.erase(subject)).isTrue();
        assertThat(twin.erased).containsExactly(subject);
        assertThat(harness.stateKeys(subject)).isEmpty();
    }

    @Test
    void aRecordWithoutPatient_isDenied() {
        Observation orphan = heartRate("p1", "2025-03-01T08:00:00Z", 70);
        orphan.setSubject(null);
        HarnessRun run = TwinHarness.forPlugin(new PulseTwin()).build().feed(List.of(orphan));
        assertThat(run.deliveries().get(0).outcome()).isEqualTo(Outcome.DENIED);
        assertThat(run.deliveries().get(0).reason()).contains("record is not linked to a patient");
    }

    @Test
    void anUnparsableRecordsFile_isReportedWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.ndjson");
        Files.writeString(file, FHIR.newJsonParser().encodeResourceToString(heartRate("p1", "2025-03-01T08:00:00Z",
                70)) + "\n{\"resourceType\": \"Nope\", \"secret\": \"MRN-1\"}\n");
        assertThatThrownBy(() -> FhirRecords.read(FHIR, file))
                .isInstanceOf(FhirRecords.RecordFileException.class)
                .hasMessage(file + ":2: not a FHIR R4 JSON resource");
    }

    static Observation heartRate(String patient, String at, int value) {
        Observation obs = new Observation();
        obs.setId("hr-" + at.hashCode());
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        obs.setSubject(new Reference("Patient/" + patient));
        obs.setEffective(new org.hl7.fhir.r4.model.DateTimeType(at));
        obs.setValue(new Quantity(value).setUnit("/min"));
        return obs;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TwinHarnessTest.class.getClassLoader().getResource(name).toURI());
    }

}
