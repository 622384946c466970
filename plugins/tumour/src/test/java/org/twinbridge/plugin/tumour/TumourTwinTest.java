package org.twinbridge.plugin.tumour;

import org.twinbridge.sdk.testing.InMemoryTwinContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.SampledData;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

class TumourTwinTest {

    private static final Instant BASELINE = Instant.parse("2025-01-06T09:00:00Z");
    private static final Instant WEEK8 = BASELINE.plus(Duration.ofDays(56));
    private static final String SUBJECT = Records.SUBJECT;

    private final TumourTwin twin = new TumourTwin();
    private final InMemoryTwinContext context = new InMemoryTwinContext(TumourTwin.ID);

    @Test
    void manifest_describesTheTumourTwin() {
        PluginManifest manifest = twin.manifest();

        assertThat(manifest.id()).isEqualTo("tumour-twin").isEqualTo(TumourTwin.ID);
        assertThat(manifest.version()).isNotBlank().doesNotContain("${");
        assertThat(manifest.description()).contains("not a medical device");
        assertThat(manifest.request().resourceTypes()).containsExactlyInAnyOrder("Observation",
                "MedicationAdministration");
        assertThat(manifest.request().codes()).extracting(CodeFilter::code).containsExactlyInAnyOrder("21889-1",
                "33728-7");
        assertThat(manifest.request().purposes()).containsExactly("TREAT");
        assertThat(manifest.outputs()).containsExactly(OutputKind.OBSERVATION, OutputKind.RISK_ASSESSMENT);
    }

    @Test
    void oneAssessment_isNotEnoughToFit() {
        deliver(Records.size("30", "mm"), BASELINE);
        assertThat(context.outputs()).isEmpty();
        assertThat(context.state().get(SUBJECT, TumourTwin.STATE_KEY)).isPresent();
    }

    @Test
    void twoAssessments_projectEveryRegimen_andTheUntreatedCourse() {
        deliver(Records.size("30", "mm"), BASELINE);
        deliver(Records.size("36", "mm"), WEEK8);

        List<TwinOutput> outputs = context.outputs();
        assertThat(outputs).extracting(TwinOutput::kind).containsExactly(OutputKind.OBSERVATION,
                OutputKind.OBSERVATION, OutputKind.OBSERVATION, OutputKind.OBSERVATION, OutputKind.RISK_ASSESSMENT);
        assertThat(outputs).extracting(TwinOutput::subject).containsOnly(SUBJECT);

        Observation untreated = (Observation) outputs.get(0).resource();
        assertThat(untreated.getCode().getCodingFirstRep().getCode()).isEqualTo("tumour-size-forecast");
        assertThat(untreated.getSubject().getReference()).isEqualTo("Patient/" + SUBJECT);
        assertThat(untreated.getEffectivePeriod().getStart().toInstant()).isEqualTo(WEEK8);
        assertThat(untreated.getEffectivePeriod().getEnd().toInstant()).isEqualTo(WEEK8.plus(Duration.ofDays(168)));
        SampledData weekly = untreated.getValueSampledData();
        assertThat(weekly.getPeriod().longValue()).isEqualTo(Duration.ofDays(7).toMillis());
        String[] values = weekly.getData().split(" ");
        assertThat(values).hasSize(25);
        assertThat(values[0]).isEqualTo("36.0");
        assertThat(Double.parseDouble(values[24])).as("untreated, it keeps growing")
                .isGreaterThan(Double.parseDouble(values[12])).isGreaterThan(36);
        assertThat(untreated.getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .containsExactly("regimen", "size-at-horizon", "change-from-baseline", "recist-projected");
        assertThat(untreated.getComponent().get(3).getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("PD");
        assertThat(outputs.get(0).summary()).isEqualTo("Tumour forecast (untreated): PD at 24 weeks");
        assertThat(untreated.getNoteFirstRep().getText()).contains("Fitted to 2 assessments over 56 days")
                .contains("not a medical device");

        RiskAssessment response = (RiskAssessment) outputs.get(4).resource();
        assertThat(response.getPrediction()).hasSize(4);
        assertThat(response.getPrediction()).extracting(p -> p.getOutcome().getText())
                .first().isEqualTo("untreated: PD");
        assertThat(outputs.get(4).summary()).startsWith("Projected RECIST at 24 weeks: untreated PD, docetaxel-q3w ");
        for (int i = 1; i < 4; i++) {
            Observation treated = (Observation) outputs.get(i).resource();
            double atHorizon = treated.getComponent().get(1).getValueQuantity().getValue().doubleValue();
            assertThat(atHorizon).as("every regimen does better than no treatment")
                    .isLessThan(untreated.getComponent().get(1).getValueQuantity().getValue().doubleValue());
        }
    }

    @Test
    void anUnchangedSeries_isNotProjectedAgain() {
        deliver(Records.size("30", "mm"), BASELINE);
        deliver(Records.size("36", "mm"), WEEK8);
        context.drain();

        deliver(Records.size("36", "mm"), WEEK8.plusSeconds(600));
        assertThat(context.outputs()).isEmpty();
    }

    @Test
    void perLesionScans_projectOnlyOnceEveryTargetLesionIsIn() {
        deliver(Records.lesion("20", "10200004"), BASELINE);
        deliver(Records.lesion("12", "39607008"), BASELINE.plusSeconds(60));
        deliver(Records.lesion("16", "10200004"), WEEK8);
        assertThat(context.outputs()).as("half a scan").isEmpty();

        deliver(Records.lesion("9", "39607008"), WEEK8.plusSeconds(60));
        assertThat(context.outputs()).hasSize(5);
        Observation untreated = (Observation) context.outputs().get(0).resource();
        assertThat(untreated.getValueSampledData().getData()).startsWith("25.0 ");
    }

    @Test
    void administrations_areKeptForTheNextFit_withoutOutputs() {
        deliver(Records.size("30", "mm"), BASELINE);
        deliver(Records.dose("Docetaxel", null, "75", "mg/m2"), BASELINE.plus(Duration.ofDays(1)));
        assertThat(context.outputs()).isEmpty();
        TumourState state = TumourStateText.decode(context.state().get(SUBJECT, TumourTwin.STATE_KEY).orElseThrow())
                .orElseThrow();
        assertThat(state.administrations()).containsExactly(
                new TumourState.Given(BASELINE.plus(Duration.ofDays(1)), "docetaxel", 75));

        deliver(Records.size("24", "mm"), WEEK8);
        RiskAssessment response = (RiskAssessment) context.outputs().get(4).resource();
        assertThat(response.getNoteFirstRep().getText()).contains("sensitivity ")
                .as("a response under treatment moves the sensitivity off its prior").doesNotContain("sensitivity 1.00,");
    }

    @Test
    void onErase_forgetsTheSubject() {
        deliver(Records.size("30", "mm"), BASELINE);
        twin.onErase(SUBJECT, context);
        assertThat(context.state().keys(SUBJECT)).isEmpty();
    }

    @Test
    void customCatalogueAndHorizon_areUsed() {
        RegimenCatalogue one = RegimenCatalogue.parse("test", """
                drug docetaxel 75 mg/m2 2 20
                regimen short docetaxel 75 21 2 Two cycles
                """);
        TumourTwin custom = new TumourTwin(one, 12);
        custom.onRecord(Records.record(Records.size("30", "mm"), BASELINE), context);
        custom.onRecord(Records.record(Records.size("33", "mm"), WEEK8), context);

        assertThat(context.outputs()).hasSize(3);
        assertThat(context.outputs().get(2).summary()).startsWith("Projected RECIST at 12 weeks: untreated ")
                .contains(", short ");
    }

    private void deliver(Resource resource, Instant at) {
        twin.onRecord(Records.record(resource, at), context);
    }
}
