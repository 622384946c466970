package com.example.twin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.testing.Delivery;
import org.twinbridge.sdk.testing.HarnessRun;
import org.twinbridge.sdk.testing.TwinHarness;

/**
 * The twin run the way a node runs it: FHIR files in, the policy set deciding and projecting, records in order of
 * their effective time, the patient known only by a pseudonym.
 */
class WeightChangeTwinHarnessTest {

    @Test
    void weightsOutOfOrderInTheFile_areFedByTime_andTheChangeIsAboutThePseudonym() throws Exception {
        TwinHarness harness = TwinHarness.forPlugin(new WeightChangeTwin()).policies(resource("policies")).build();

        HarnessRun run = harness.feedFiles(List.of(resource("records/weights.json")));

        assertThat(run.count(Delivery.Outcome.DELIVERED)).isEqualTo(2);
        assertThat(run.count(Delivery.Outcome.NOT_REQUESTED)).as("the Patient and the heart rate").isEqualTo(2);
        String subject = harness.subjectOf("Patient/0b5f3a52-1111-4a3c-9d55-000000000001");
        assertThat(run.outputs(OutputKind.OBSERVATION)).singleElement().satisfies(output -> {
            Observation change = (Observation) output.resource();
            assertThat(change.getValueQuantity().getValue()).isEqualByComparingTo("-1.5");
            assertThat(output.subject()).isEqualTo(subject);
        });
    }

    @Test
    void underAPurposeThePolicyDoesNotGrant_theTwinSeesNothing() throws Exception {
        HarnessRun run = TwinHarness.forPlugin(new WeightChangeTwin()).policies(resource("policies"))
                .purpose("HRESCH").build().feedFiles(List.of(resource("records/weights.json")));

        assertThat(run.count(Delivery.Outcome.DELIVERED)).isZero();
        assertThat(run.outputs()).isEmpty();
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(WeightChangeTwinHarnessTest.class.getClassLoader().getResource(name).toURI());
    }
}
