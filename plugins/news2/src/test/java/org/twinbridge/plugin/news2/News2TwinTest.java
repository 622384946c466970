package org.twinbridge.plugin.news2;

import org.twinbridge.sdk.testing.InMemoryTwinContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

class News2TwinTest {

    private static final String SUBJECT = "pseudo-7f3a";
    private static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");

    private final News2Twin twin = new News2Twin();
    private final InMemoryTwinContext context = new InMemoryTwinContext(News2Twin.ID);

    @Test
    void manifest_describesTheNews2Twin() {
        PluginManifest manifest = twin.manifest();

        assertThat(manifest.id()).isEqualTo("news2-twin").isEqualTo(News2Twin.ID);
        assertThat(manifest.vendor()).isEqualTo("TwinBridge");
        assertThat(manifest.version()).isNotBlank().doesNotContain("${");
        assertThat(manifest.request().resourceTypes()).containsExactly("Observation");
        assertThat(manifest.request().purposes()).containsExactly("TREAT");
        assertThat(manifest.request().codes()).extracting(CodeFilter::code)
                .containsExactlyInAnyOrderElementsOf(LoincVitalSignMapper.LOINC_CODES);
        assertThat(manifest.request().codes()).extracting(CodeFilter::system).containsOnly(CodeFilter.LOINC);
        assertThat(manifest.outputs())
                .containsExactly(OutputKind.OBSERVATION, OutputKind.RISK_ASSESSMENT, OutputKind.ALERT);
        assertThat(twin.scale()).isEqualTo(SpO2Scale.SCALE_1);
    }

    @Test
    void onRecord_beforeTheFiveRequiredParameters_keepsVitalsButEmitsNothing() {
        deliver(Observations.respirationRate("16"), T0);
        deliver(Observations.spo2("98"), T0);
        deliver(Observations.bloodPressure("120", "80"), T0);
        deliver(Observations.pulse("70"), T0);

        assertThat(context.outputs()).isEmpty();
        assertThat(context.state().get(SUBJECT, News2Twin.VITALS_KEY)).hasValueSatisfying(vitals ->
                assertThat(StateFormat.decodeVitals(vitals).latest()).hasSize(4));
        assertThat(context.state().get(SUBJECT, News2Twin.SCORES_KEY)).isEmpty();
    }

    @Test
    void onRecord_fifthRequiredParameter_emitsScoreObservationAndRiskAssessment() {
        deliverNormalVitals(T0);

        List<TwinOutput> outputs = context.outputs();
        assertThat(outputs).extracting(TwinOutput::kind)
                .containsExactly(OutputKind.OBSERVATION, OutputKind.RISK_ASSESSMENT);
        assertThat(outputs).extracting(TwinOutput::subject).containsOnly(SUBJECT);

        Observation score = (Observation) outputs.get(0).resource();
        assertThat(score.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(score.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://snomed.info/sct");
        assertThat(score.getCode().getCodingFirstRep().getCode()).isEqualTo("1104051000000101");
        assertThat(score.getCode().getCodingFirstRep().getDisplay())
                .isEqualTo("Royal College of Physicians NEWS2 (National Early Warning Score 2) total score");
        assertThat(score.getValueIntegerType().getValue()).isZero();
        assertThat(score.getSubject().getReference()).isEqualTo("Patient/" + SUBJECT);
        assertThat(score.getEffectiveDateTimeType().getValue().toInstant()).isEqualTo(T0);
        assertThat(outputs.get(0).summary()).isEqualTo("NEWS2 0 (low, without consciousness)");

        RiskAssessment risk = (RiskAssessment) outputs.get(1).resource();
        assertThat(risk.getStatus()).isEqualTo(RiskAssessment.RiskAssessmentStatus.FINAL);
        assertThat(risk.getSubject().getReference()).isEqualTo("Patient/" + SUBJECT);
        assertThat(risk.getBasis()).isEmpty();
        assertThat(risk.getPredictionFirstRep().getQualitativeRisk().getCodingFirstRep().getSystem())
                .isEqualTo("urn:twinbridge:news2-risk");
        assertThat(risk.getPredictionFirstRep().getQualitativeRisk().getCodingFirstRep().getCode()).isEqualTo("low");
        assertThat(risk.getPredictionFirstRep().getQualitativeRisk().getText()).isEqualTo("low");
    }

    @Test
    void onRecord_consciousnessMissing_scoresWithAPartialNote() {
        deliverNormalVitals(T0);

        Observation score = (Observation) context.outputs(OutputKind.OBSERVATION).get(0).resource();
        assertThat(score.getNoteFirstRep().getText()).contains("Partial score").contains("consciousness");
    }

    @Test
    void onRecord_completeVitals_haveNoPartialNote() {
        deliver(Observations.consciousness("248234008"), T0);
        deliverNormalVitals(T0);

        TwinOutput output = context.outputs(OutputKind.OBSERVATION).get(0);
        assertThat(((Observation) output.resource()).getNote()).isEmpty();
        assertThat(output.summary()).isEqualTo("NEWS2 0 (low)");
    }

    @Test
    void onRecord_unchangedScoreAndBand_doesNotEmitAgain() {
        deliverNormalVitals(T0);
        context.drain();

        deliver(Observations.pulse("75"), T0.plusSeconds(600)); // still scores 0
        deliver(Observations.pulse("75"), T0.plusSeconds(600)); // a repeat
        deliver(Observations.consciousness("248234008"), T0.plusSeconds(900)); // complete now, but still 0

        assertThat(context.outputs()).isEmpty();
        assertThat(history().entries()).hasSize(1);
    }

    @Test
    void onRecord_bandRises_emitsEscalationAlert() {
        deliverNormalVitals(T0);
        context.drain();

        deliver(Observations.respirationRate("26"), T0.plusSeconds(3600)); // 3: low-medium
        List<TwinOutput> lowMedium = context.drain();
        deliver(Observations.oxygenFlow("2"), T0.plusSeconds(7200)); // +2: 5, medium
        List<TwinOutput> medium = context.drain();

        assertThat(lowMedium).extracting(TwinOutput::summary).containsExactly(
                "NEWS2 3 (low-medium, rising, without consciousness)", "NEWS2 risk low-medium (rising)",
                "NEWS2 escalation: low-medium");
        assertThat(medium).extracting(TwinOutput::kind)
                .containsExactly(OutputKind.OBSERVATION, OutputKind.RISK_ASSESSMENT, OutputKind.ALERT);
        Flag flag = (Flag) medium.get(2).resource();
        assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE);
        assertThat(flag.getCode().getText()).isEqualTo("NEWS2 escalation: medium");
        assertThat(flag.getSubject().getReference()).isEqualTo("Patient/" + SUBJECT);
        assertThat(medium.get(2).summary()).isEqualTo("NEWS2 escalation: medium");
    }

    @Test
    void onRecord_firstScoreAlreadyHigh_alerts() {
        deliver(Observations.respirationRate("30"), T0); // 3
        deliver(Observations.spo2("90"), T0); // 3
        deliver(Observations.bloodPressure("95", "60"), T0); // 2
        deliver(Observations.pulse("70"), T0);
        deliver(Observations.temperature("37.0"), T0);

        assertThat(context.outputs(OutputKind.ALERT)).singleElement()
                .extracting(TwinOutput::summary).isEqualTo("NEWS2 escalation: high");
        assertThat(context.outputs(OutputKind.OBSERVATION)).singleElement()
                .extracting(TwinOutput::summary).isEqualTo("NEWS2 8 (high, without consciousness)");
    }

    @Test
    void onRecord_bandFalls_emitsTrendWithoutAlert() {
        deliverNormalVitals(T0);
        deliver(Observations.pulse("135"), T0.plusSeconds(60)); // 3
        deliver(Observations.oxygenFlow("2"), T0.plusSeconds(120)); // 5, medium
        context.drain();

        deliver(Observations.oxygenFlow("0"), T0.plusSeconds(180)); // 3, low-medium

        assertThat(context.outputs()).extracting(TwinOutput::summary).containsExactly(
                "NEWS2 3 (low-medium, falling, without consciousness)", "NEWS2 risk low-medium (falling)");
    }

    @Test
    void onRecord_scoreChangesWithinBand_emitsWithoutAlert() {
        deliverNormalVitals(T0);
        context.drain();

        deliver(Observations.pulse("95"), T0.plusSeconds(60)); // 1, still low

        assertThat(context.outputs()).extracting(TwinOutput::kind)
                .containsExactly(OutputKind.OBSERVATION, OutputKind.RISK_ASSESSMENT);
        assertThat(context.outputs().get(0).summary()).isEqualTo("NEWS2 1 (low, rising, without consciousness)");
    }

    @Test
    void onRecord_olderObservationArrivingLate_doesNotReplaceNewerValue() {
        deliverNormalVitals(T0);
        context.drain();

        deliver(Observations.pulse("140"), T0.minus(Duration.ofDays(2)));

        assertThat(context.outputs()).isEmpty();
        assertThat(vitals().pulse()).hasValue(70);
    }

    @Test
    void onRecord_enteredInError_changesNothing() {
        deliverNormalVitals(T0);
        context.drain();
        String before = context.state().get(SUBJECT, News2Twin.VITALS_KEY).orElseThrow();

        deliver(Observations.pulse("140").setStatus(Observation.ObservationStatus.ENTEREDINERROR), T0.plusSeconds(60));

        assertThat(context.outputs()).isEmpty();
        assertThat(context.state().get(SUBJECT, News2Twin.VITALS_KEY)).hasValue(before);
    }

    @Test
    void onRecord_otherResourceOrUnrelatedCode_isIgnored() {
        deliver(new Condition(), T0);
        deliver(Observations.quantity("29463-7", "70", "kg"), T0);

        assertThat(context.state().keys(SUBJECT)).isEmpty();
        assertThat(context.outputs()).isEmpty();
    }

    @Test
    void onRecord_withoutEffectiveTime_stampsScoreWithNodeClock() {
        Instant clock = Instant.parse("2025-03-02T09:30:00Z");
        context.setNow(clock);

        deliverNormalVitals(null);

        assertThat(history().last()).hasValueSatisfying(entry -> assertThat(entry.at()).isEqualTo(clock));
        Observation score = (Observation) context.outputs(OutputKind.OBSERVATION).get(0).resource();
        assertThat(score.hasEffective()).isFalse();
        assertThat(score.getIssued().toInstant()).isEqualTo(clock);
    }

    @Test
    void onRecord_keepsAtMostTenScoresWithTimes() {
        deliverNormalVitals(T0);
        for (int i = 1; i <= 15; i++) {
            // alternate pulse between 0 and 1 point so that every delivery changes the score
            deliver(Observations.pulse(i % 2 == 1 ? "95" : "70"), T0.plusSeconds(60L * i));
        }

        ScoreHistory history = history();
        assertThat(history.entries()).hasSize(ScoreHistory.CAPACITY);
        assertThat(history.last()).hasValueSatisfying(entry -> {
            assertThat(entry.at()).isEqualTo(T0.plusSeconds(60L * 15));
            assertThat(entry.total()).isEqualTo(1);
        });
    }

    @Test
    void onRecord_summaries_holdScoresAndBandsOnly() {
        deliverNormalVitals(T0);
        deliver(Observations.pulse("135"), T0.plusSeconds(60));
        deliver(Observations.temperature("39.4"), T0.plusSeconds(120));
        deliver(Observations.consciousness("450847001"), T0.plusSeconds(180));

        assertThat(context.outputs()).isNotEmpty().allSatisfy(output -> {
            assertThat(output.summary()).matches("NEWS2 (\\d+ \\(|risk |escalation: ).*")
                    .doesNotContain("135").doesNotContain("39.4").doesNotContain(SUBJECT);
            assertThat(output.toString()).doesNotContain("135");
        });
    }

    @Test
    void onRecord_scale2Twin_scoresOverOxygenation() {
        News2Twin scale2 = new News2Twin(SpO2Scale.SCALE_2);
        for (Observation observation : List.of(Observations.respirationRate("16"), Observations.spo2("98"),
                Observations.oxygenFlow("2"), Observations.bloodPressure("120", "80"), Observations.pulse("70"),
                Observations.temperature("37.0"))) {
            scale2.onRecord(record(observation, T0), context);
        }

        // SpO2 98 on oxygen scores 3 on scale 2, oxygen 2: total 5
        assertThat(context.outputs(OutputKind.OBSERVATION)).singleElement()
                .extracting(TwinOutput::summary).isEqualTo("NEWS2 5 (medium, without consciousness)");
    }

    @Test
    void onErase_deletesThisPluginsStateForTheSubject() {
        deliverNormalVitals(T0);
        context.state().put("someone-else", News2Twin.VITALS_KEY, "kept");

        twin.onErase(SUBJECT, context);

        assertThat(context.state().keys(SUBJECT)).isEmpty();
        assertThat(context.state().get("someone-else", News2Twin.VITALS_KEY)).hasValue("kept");
    }

    @Test
    void onErase_thenNewVitals_startsAfreshWithoutTrend() {
        deliverNormalVitals(T0);
        twin.onErase(SUBJECT, context);
        context.drain();

        deliverNormalVitals(T0.plusSeconds(60));

        assertThat(context.outputs(OutputKind.OBSERVATION)).singleElement()
                .extracting(TwinOutput::summary).isEqualTo("NEWS2 0 (low, without consciousness)");
    }

    /** Respiration 16, SpO2 98, systolic 120, pulse 70, temperature 37.0: every one scores 0. */
    private void deliverNormalVitals(Instant at) {
        deliver(Observations.respirationRate("16"), at);
        deliver(Observations.spo2("98"), at);
        deliver(Observations.bloodPressure("120", "80"), at);
        deliver(Observations.pulse("70"), at);
        deliver(Observations.temperature("37.0"), at);
    }

    private void deliver(Resource resource, Instant at) {
        twin.onRecord(record(resource, at), context);
    }

    private static AuthorisedRecord record(Resource resource, Instant at) {
        return new AuthorisedRecord(SUBJECT, resource, "vital-signs", Optional.ofNullable(at), "receipt-1", "policy-1");
    }

    private VitalSigns vitals() {
        return StateFormat.decodeVitals(context.state().get(SUBJECT, News2Twin.VITALS_KEY).orElseThrow());
    }

    private ScoreHistory history() {
        return StateFormat.decodeHistory(context.state().get(SUBJECT, News2Twin.SCORES_KEY).orElseThrow());
    }
}
