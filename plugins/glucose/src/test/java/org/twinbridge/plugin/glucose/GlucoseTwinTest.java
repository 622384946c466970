package org.twinbridge.plugin.glucose;

import org.twinbridge.sdk.testing.InMemoryTwinContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

class GlucoseTwinTest {

    private static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");
    private static final String SUBJECT = Records.SUBJECT;

    private final GlucoseTwin twin = new GlucoseTwin();
    private final InMemoryTwinContext context = new InMemoryTwinContext(GlucoseTwin.ID);

    @Test
    void manifest_describesTheGlucoseTwin() {
        PluginManifest manifest = twin.manifest();

        assertThat(manifest.id()).isEqualTo("glucose-twin").isEqualTo(GlucoseTwin.ID);
        assertThat(manifest.vendor()).isEqualTo("TwinBridge");
        assertThat(manifest.version()).isNotBlank().doesNotContain("${");
        assertThat(manifest.description()).contains("not a medical device");
        assertThat(manifest.request().resourceTypes()).containsExactlyInAnyOrder("Observation",
                "MedicationAdministration");
        assertThat(manifest.request().purposes()).containsExactly("TREAT");
        assertThat(manifest.request().codes()).extracting(CodeFilter::code).containsExactlyInAnyOrder("99504-3",
                "105272-9", "2339-0", "2345-7", "41653-7", "15074-8", "14749-6", "4548-4", "59261-8", "9059-7");
        assertThat(manifest.outputs()).containsExactly(OutputKind.OBSERVATION, OutputKind.ALERT);
    }

    @Test
    void cgmReadings_forecastOnceTheModelHasLearnedAnHour_andMetricsEachHour() {
        for (int i = 0; i < 14; i++) {
            cgm(T0.plus(Duration.ofMinutes(5L * i)), 120 + i);
        }
        assertThat(forecasts(context.outputs())).as("not ready after 11 updates").isEmpty();
        assertThat(metrics(context.outputs())).as("at the first reading and an hour later").hasSize(2)
                .last().extracting(TwinOutput::summary).asString()
                .startsWith("CGM metrics over 0.0 days (provisional): TIR 100%, below 70 0%, below 54 0%");
        context.drain();

        Instant at = T0.plus(Duration.ofMinutes(70));
        cgm(at, 134);
        List<TwinOutput> outputs = context.drain();
        assertThat(forecasts(outputs)).singleElement().satisfies(output -> {
            Observation forecast = (Observation) output.resource();
            assertThat(output.subject()).isEqualTo(SUBJECT);
            assertThat(forecast.getSubject().getReference()).isEqualTo("Patient/" + SUBJECT);
            assertThat(forecast.getCode().getCodingFirstRep().getSystem()).isEqualTo("urn:twinbridge:glucose-twin");
            assertThat(forecast.getEffectiveDateTimeType().getValue().toInstant()).isEqualTo(at);
            assertThat(forecast.getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode())
                    .containsExactly("forecast-15min", "forecast-15min-pi95", "forecast-30min",
                            "forecast-30min-pi95", "forecast-45min", "forecast-45min-pi95", "forecast-60min",
                            "forecast-60min-pi95");
            double thirty = forecast.getComponent().get(2).getValueQuantity().getValue().doubleValue();
            assertThat(thirty).as("a steady rise continues").isGreaterThan(134);
            assertThat(forecast.getComponent().get(3).getValueRange().getLow().getValue().doubleValue())
                    .isLessThan(thirty);
            assertThat(forecast.getComponent().get(2).getValueQuantity().getCode()).isEqualTo("mg/dL");
            assertThat(output.summary()).isEqualTo("Glucose forecast: in range at 30 min, in range at 60 min");
        });
        assertThat(metrics(outputs)).as("ten minutes after the last metrics").isEmpty();
    }

    @Test
    void predictedHypoglycaemia_alertsOncePerEpisode_andReArmsWhenGlucoseRecovers() {
        Instant last = T0;
        seedModel(List.of(112.0, 104.0, 96.0, 88.0), last);

        cgm(last.plus(Duration.ofMinutes(5)), 80);
        List<TwinOutput> first = alerts(context.drain());
        assertThat(first).singleElement().satisfies(alert -> {
            Flag flag = (Flag) alert.resource();
            assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE);
            assertThat(flag.getCode().getCodingFirstRep().getCode()).isEqualTo("predicted-hypoglycaemia");
            assertThat(flag.getPeriod().getStartElement().getValue().toInstant())
                    .isEqualTo(last.plus(Duration.ofMinutes(5)));
            assertThat(alert.summary()).isEqualTo("Predicted hypoglycaemia: glucose forecast below 70 mg/dL in 10 min");
        });

        cgm(last.plus(Duration.ofMinutes(10)), 75);
        assertThat(alerts(context.drain())).as("the same episode").isEmpty();

        cgm(last.plus(Duration.ofMinutes(15)), 95);
        cgm(last.plus(Duration.ofMinutes(20)), 110);
        assertThat(alerts(context.drain())).isEmpty();
        assertThat(state().hypoAlertActive()).as("re-armed: glucose and forecast back above 80").isFalse();

        cgm(last.plus(Duration.ofMinutes(25)), 90);
        cgm(last.plus(Duration.ofMinutes(30)), 76);
        assertThat(alerts(context.drain())).as("a new episode").hasSize(1);
    }

    @Test
    void dexcomSeries_alertsNeverRepeatWithoutRecoveryInBetween() {
        List<CgmSeries.Reading> series = CgmSeries.dexcom();
        List<Integer> alertedAt = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            cgm(series.get(i).at(), series.get(i).mgPerDl());
            if (!alerts(context.drain()).isEmpty()) {
                alertedAt.add(i);
            }
        }
        assertThat(alertedAt).isNotEmpty();
        for (int k = 1; k < alertedAt.size(); k++) {
            List<CgmSeries.Reading> between = series.subList(alertedAt.get(k - 1), alertedAt.get(k));
            assertThat(between).anySatisfy(r -> assertThat(r.mgPerDl()).isGreaterThanOrEqualTo(80));
        }
        assertThat(context.state().keys(SUBJECT)).allSatisfy(key -> assertThat(
                context.state().get(SUBJECT, key).orElseThrow().getBytes(StandardCharsets.UTF_8).length)
                .as(key).isLessThan(8_000));
    }

    @Test
    void hba1c_givesTheAdagEstimatedAverageGlucose_besideTheCgmGmi() {
        deliver(Records.observation("4548-4", "7.0", "%"), T0);
        Observation first = (Observation) context.drain().get(0).resource();
        assertThat(first.getCode().getCodingFirstRep().getCode()).isEqualTo("hba1c-eag");
        assertThat(first.getValueQuantity().getValue().doubleValue()).isCloseTo(28.7 * 7 - 46.7, within(0.05));
        assertThat(first.getComponent()).hasSize(1);

        cgm(T0.plusSeconds(60), 150);
        context.drain();
        deliver(Records.observation("4548-4", "7.0", "%"), T0.plusSeconds(120));
        TwinOutput second = context.drain().get(0);
        assertThat(((Observation) second.resource()).getComponent())
                .extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .containsExactly("hba1c", "gmi", "gmi-minus-hba1c");
        assertThat(second.summary()).isEqualTo("HbA1c-derived estimated average glucose, with CGM GMI for comparison");
        assertThat(state().latestHba1c()).contains(new TwinState.Timed(7.0, T0.plusSeconds(120)));
    }

    @Test
    void laboratoryGlucose_belowSeventy_alertsWithItsLevel() {
        deliver(Records.observation("2339-0", "100", "mg/dL"), T0);
        assertThat(context.drain()).isEmpty();
        deliver(Records.observation("2339-0", "65", "mg/dL"), T0.plusSeconds(60));
        assertThat(context.drain()).singleElement().extracting(TwinOutput::summary)
                .isEqualTo("Laboratory glucose below 70 mg/dL (level 1 hypoglycaemia)");
        deliver(Records.observation("15074-8", "2.8", "mmol/L"), T0.plusSeconds(120));
        assertThat(context.drain()).singleElement().extracting(TwinOutput::summary)
                .isEqualTo("Laboratory glucose below 54 mg/dL (level 2 hypoglycaemia)");
        assertThat(state().latestLabGlucose()).hasValueSatisfying(v -> assertThat(v.value())
                .isCloseTo(2.8 * 18.016, within(1e-9)));
        assertThat(context.state().get(SUBJECT, CgmWindow.SUMMARY_KEY)).as("labs are not CGM metrics").isEmpty();
    }

    @Test
    void carbsAndInsulin_informTheModel_withoutOutputs() {
        deliver(Records.observation("9059-7", "45", "g"), T0);
        deliver(Records.insulin("Insulin aspart", "4.5"), T0);

        assertThat(context.outputs()).isEmpty();
        assertThat(state().doses().carbs()).containsExactly(new AbsorptionCurve.Dose(T0, 45));
        assertThat(state().doses().insulin()).containsExactly(new AbsorptionCurve.Dose(T0, 4.5));
    }

    @Test
    void cgmReading_withoutATime_isIgnored() {
        twin.onRecord(Records.record(Records.cgm(100), null), context);
        assertThat(context.outputs()).isEmpty();
        assertThat(context.state().keys(SUBJECT)).isEmpty();
    }

    @Test
    void unreadableState_startsTheTwinAgain_ratherThanFailingEveryDelivery() {
        context.state().put(SUBJECT, GlucoseTwin.STATE_KEY, "glucose-twin 0\nnonsense");
        cgm(T0, 100);
        assertThat(state().model().levels()).containsExactly(100.0);
    }

    @Test
    void onErase_forgetsEverything() {
        for (int i = 0; i < 300; i++) {
            cgm(T0.plus(Duration.ofMinutes(5L * i)), 100 + (i % 20));
        }
        deliver(Records.observation("4548-4", "6.5", "%"), T0);
        assertThat(context.state().keys(SUBJECT)).hasSizeGreaterThan(2);

        twin.onErase(SUBJECT, context);
        assertThat(context.state().keys(SUBJECT)).isEmpty();
    }

    private void seedModel(List<Double> levels, Instant last) {
        OnlineArxModel.Snapshot prior = OnlineArxModel.Snapshot.PRIOR;
        List<Double> covariance = new ArrayList<>(prior.covariance());
        // A model that has learned from a long history: a week of readings barely moves it.
        int n = OnlineArxModel.PARAMETERS;
        covariance.set(0, 1e-9);
        covariance.set(n + 1, 1e-9);
        covariance.set(n * n - 1, 1e-9);
        TwinState seeded = TwinState.INITIAL.withModel(new OnlineArxModel.Snapshot(List.of(0.8, 0.0, -40.0, 4.0, 0.0),
                covariance, 4.0, 100, levels, Optional.of(last)));
        context.state().put(SUBJECT, GlucoseTwin.STATE_KEY, TwinStateText.encode(seeded));
    }

    private TwinState state() {
        return TwinStateText.decode(context.state().get(SUBJECT, GlucoseTwin.STATE_KEY).orElseThrow()).orElseThrow();
    }

    private void cgm(Instant at, int mgPerDl) {
        deliver(Records.cgm(mgPerDl), at);
    }

    private void deliver(Resource resource, Instant at) {
        twin.onRecord(Records.record(resource, at), context);
    }

    private static List<TwinOutput> forecasts(List<TwinOutput> outputs) {
        return coded(outputs, GlucoseResources.FORECAST);
    }

    private static List<TwinOutput> metrics(List<TwinOutput> outputs) {
        return coded(outputs, GlucoseResources.METRICS);
    }

    private static List<TwinOutput> coded(List<TwinOutput> outputs, String code) {
        return outputs.stream().filter(o -> o.resource() instanceof Observation
                && ((Observation) o.resource()).getCode().getCodingFirstRep().getCode().equals(code)).toList();
    }

    private static List<TwinOutput> alerts(List<TwinOutput> outputs) {
        return outputs.stream().filter(o -> o.kind() == OutputKind.ALERT).toList();
    }
}
