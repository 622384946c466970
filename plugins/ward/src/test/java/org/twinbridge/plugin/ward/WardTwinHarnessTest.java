package org.twinbridge.plugin.ward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.TwinOutput;
import org.twinbridge.sdk.testing.Delivery;
import org.twinbridge.sdk.testing.HarnessRun;
import org.twinbridge.sdk.testing.TwinHarness;

/**
 * The twin run the way a node runs it, through the shipped policy set: Encounters in, projected and
 * pseudonymised, census and forecast Observations on wards out.
 */
class WardTwinHarnessTest {

    private static final Path POLICIES = Path.of("../../policies/examples/ward-operations");

    @Test
    void shippedStream_throughThePolicy_givesCensusAndForecastPerWard_aboutWardsNotPatients() throws Exception {
        TwinHarness harness = TwinHarness.forPlugin(new WardTwin()).policies(POLICIES).build();

        HarnessRun run = harness.feedFiles(List.of(resource("records/adt-stream.ndjson")));

        assertThat(run.count(Delivery.Outcome.FAILED)).isZero();
        assertThat(run.count(Delivery.Outcome.DENIED)).isZero();
        List<TwinOutput> outputs = run.outputs(OutputKind.OBSERVATION);
        Set<String> codes = outputs.stream().map(o -> ((Observation) o.resource()).getCode().getCodingFirstRep()
                .getCode()).collect(Collectors.toSet());
        assertThat(codes).containsExactlyInAnyOrder("ward-census", "bed-demand-forecast-24h");
        Set<String> wards = outputs.stream().map(o -> ((Observation) o.resource()).getSubject().getReference())
                .collect(Collectors.toSet());
        assertThat(wards).hasSize(2).allSatisfy(ward -> assertThat(ward).startsWith("Location/")
                .isNotIn("Location/MED", "Location/SURG"));
        assertThat(harness.ndjson(run)).noneMatch(json -> json.contains("Patient/") || json.contains("SYN0"));
    }

    @Test
    void whateverTheOrderOfDelivery_theFinalCensusIsTheTruth() {
        AdtStreamGenerator.Stream stream = AdtStreamGenerator.generate(11L, Instant.parse("2025-03-03T00:00:00Z"),
                4);
        List<Resource> shuffled = new java.util.ArrayList<>(stream.messages().stream()
                .map(m -> (Resource) m.encounter()).toList());
        Collections.shuffle(shuffled, new java.util.Random(3));
        TwinHarness harness = TwinHarness.forPlugin(new WardTwin()).build(); // manifest request, no policy

        harness.feed(shuffled);

        HospitalIndex index = StateText.decodeIndex(harness.state(WardTwin.HOSPITAL, WardTwin.INDEX_KEY)
                .orElseThrow()).index();
        Instant now = index.clock().orElseThrow();
        List<Integer> twin = index.wards().stream().map(w -> index.occupants(w, now).size()).sorted().toList();
        List<Integer> truth = List.of(stream.census(AdtStreamGenerator.MED, now),
                stream.census(AdtStreamGenerator.SURG, now)).stream().sorted().toList();
        assertThat(twin).isEqualTo(truth);
    }

    @Test
    void underTreatment_theTwinSeesNothing() throws Exception {
        HarnessRun run = TwinHarness.forPlugin(new WardTwin()).policies(POLICIES).purpose("TREAT").build()
                .feedFiles(List.of(resource("records/adt-stream.ndjson")));

        assertThat(run.count(Delivery.Outcome.DELIVERED)).isZero();
        assertThat(run.outputs()).isEmpty();
    }

    @Test
    void erasingAPatient_removesTheirStaysFromTheCensus() throws Exception {
        TwinHarness harness = TwinHarness.forPlugin(new WardTwin()).policies(POLICIES).build();
        harness.feed(List.of(admit("P1", "2025-03-03T10:00:00Z"), admit("P2", "2025-03-03T11:00:00Z")));
        String p1 = harness.subjectOf("Patient/P1");

        assertThat(harness.erase(p1)).isTrue();

        HospitalIndex index = StateText.decodeIndex(harness.state(WardTwin.HOSPITAL, WardTwin.INDEX_KEY)
                .orElseThrow()).index();
        assertThat(index.stays()).doesNotContainKey(p1).hasSize(1);
        assertThat(harness.stateKeys(p1)).isEmpty();
    }

    static Encounter admit(String patient, String at) {
        Encounter e = new Encounter();
        e.setId("V" + patient);
        e.setStatus(Encounter.EncounterStatus.INPROGRESS);
        e.setClass_(new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", null));
        e.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
        java.util.Date time = java.util.Date.from(Instant.parse(at));
        e.getPeriod().setStart(time);
        e.addStatusHistory().setStatus(Encounter.EncounterStatus.INPROGRESS)
                .setPeriod(new org.hl7.fhir.r4.model.Period().setStart(time));
        e.addLocation().setLocation(new org.hl7.fhir.r4.model.Reference("Location/MED"))
                .setStatus(Encounter.EncounterLocationStatus.ACTIVE)
                .setPeriod(new org.hl7.fhir.r4.model.Period().setStart(time));
        return e;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(WardTwinHarnessTest.class.getClassLoader().getResource(name).toURI());
    }
}
