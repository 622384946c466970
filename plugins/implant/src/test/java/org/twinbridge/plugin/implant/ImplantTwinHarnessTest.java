package org.twinbridge.plugin.implant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.TwinOutput;
import org.twinbridge.sdk.testing.Delivery;
import org.twinbridge.sdk.testing.HarnessRun;
import org.twinbridge.sdk.testing.TwinHarness;

/** The twin run the way a node runs it, through the shipped policy set, on the shipped synthetic traces. */
class ImplantTwinHarnessTest {

    private static final Path POLICIES = Path.of("../../policies/examples/implant-monitoring");

    @Test
    void leadFracture_raisesOneImpedanceAlert_aboutThePseudonym() throws Exception {
        TwinHarness harness = TwinHarness.forPlugin(new ImplantTwin()).policies(POLICIES).build();

        HarnessRun run = harness.feedFiles(List.of(resource("records/implant-fracture.ndjson")));

        assertThat(run.count(Delivery.Outcome.FAILED)).isZero();
        assertThat(run.count(Delivery.Outcome.DENIED)).isZero();
        String subject = harness.subjectOf("Patient/implant-demo-1");
        assertThat(run.outputs(OutputKind.ALERT)).singleElement().satisfies(alert -> {
            Flag flag = (Flag) alert.resource();
            assertThat(flag.getCode().getCodingFirstRep().getCode())
                    .isIn("lead-impedance-jump", "lead-impedance-out-of-range");
            assertThat(flag.getPeriod().getStart()).isAfterOrEqualTo(java.util.Date.from(
                    Instant.parse("2019-04-09T09:00:00Z")));
            assertThat(alert.subject()).isEqualTo(subject);
            assertThat(alert.summary()).startsWith("RV lead impedance").doesNotContainPattern("[0-9]");
        });
        assertThat(harness.ndjson(run)).noneMatch(json -> json.contains("implant-demo-1"));
        assertThat(run.outputs(OutputKind.OBSERVATION)).as("device status reports the RV percentage paced (MDC)")
                .anySatisfy(status -> assertThat(((Observation) status.resource()).getComponent())
                        .anySatisfy(c -> assertThat(c.getCode().getCodingFirstRep().getCode()).isEqualTo("737536")));
    }

    @Test
    void batteryToEri_forecastsEri_thenSaysItIsApproaching_thenReached() throws Exception {
        HarnessRun run = TwinHarness.forPlugin(new ImplantTwin()).policies(POLICIES).build()
                .feedFiles(List.of(resource("records/implant-eri.ndjson")));

        List<String> alerts = run.outputs(OutputKind.ALERT).stream()
                .map(a -> ((Flag) a.resource()).getCode().getCodingFirstRep().getCode()).toList();
        assertThat(alerts).containsExactly("eri-approaching", "eri-reached");
        Observation firstStatus = (Observation) run.outputs(OutputKind.OBSERVATION).stream()
                .map(TwinOutput::resource).filter(o -> ((Observation) o).hasValueDateTimeType()).findFirst()
                .orElseThrow();
        Instant expected = ((DateTimeType) firstStatus.getValue()).getValue().toInstant();
        Instant trueEri = Instant.parse("2024-09-01T09:00:00Z");
        assertThat(Math.abs(java.time.Duration.between(expected, trueEri).toDays()))
                .as("a year out, within about three months").isLessThan(120);
    }

    @Test
    void underResearch_theTwinSeesNothing() throws Exception {
        HarnessRun run = TwinHarness.forPlugin(new ImplantTwin()).policies(POLICIES).purpose("HRESCH").build()
                .feedFiles(List.of(resource("records/implant-fracture.ndjson")));

        assertThat(run.count(Delivery.Outcome.DELIVERED)).isZero();
    }

    @Test
    void erase_forgetsTheDevice() throws Exception {
        TwinHarness harness = TwinHarness.forPlugin(new ImplantTwin()).policies(POLICIES).build();
        harness.feedFiles(List.of(resource("records/implant-fracture.ndjson")));
        String subject = harness.subjectOf("Patient/implant-demo-1");

        assertThat(harness.erase(subject)).isTrue();
        assertThat(harness.stateKeys(subject)).isEmpty();
    }

    @Test
    void readingInAnotherUnit_isIgnored_notConverted() {
        Observation kiloOhm = DeviceTraceFiles.observation("p", new Reading(Measure.RV_IMPEDANCE,
                Instant.parse("2025-01-01T00:00:00Z"), 0.6));
        kiloOhm.getValueQuantity().setCode("kOhm");

        assertThat(Reading.of(kiloOhm)).isEmpty();
    }

    @Test
    void damagedState_failsWithItsCode() {
        assertThatThrownBy(() -> DeviceHistory.decode("implant-history 1\nR NOT_A_MEASURE x y\n"))
                .hasMessageStartingWith("TB-IMPLANT-001");
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ImplantTwinHarnessTest.class.getClassLoader().getResource(name).toURI());
    }
}
