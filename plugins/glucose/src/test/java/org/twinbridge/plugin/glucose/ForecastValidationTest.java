package org.twinbridge.plugin.glucose;

import org.twinbridge.sdk.testing.InMemoryTwinContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * The glucose twin's forecast validated on the Dexcom G6 series: every reading goes through the plugin
 * exactly as the node would deliver it (state written to and read back from the store each time), and each
 * emitted forecast is scored against the reading actually taken 30 (and 60) minutes later. The baseline is
 * persistence: "glucose in 30 minutes will be what it is now", scored on the same pairs.
 *
 * <p>The numbers are written to {@code target/glucose-forecast-validation.txt}; the plugin README quotes them.
 */
class ForecastValidationTest {

    private static final Duration TOLERANCE = Duration.ofSeconds(150);

    @Test
    void dexcomSeries_thirtyMinuteForecast_beatsPersistence() throws IOException {
        List<CgmSeries.Reading> series = CgmSeries.dexcom();
        GlucoseTwin twin = new GlucoseTwin();
        InMemoryTwinContext context = new InMemoryTwinContext(GlucoseTwin.ID);
        Map<Instant, double[]> forecasts = new HashMap<>();
        List<Instant> alerts = new ArrayList<>();
        for (CgmSeries.Reading reading : series) {
            twin.onRecord(Records.record(Records.cgm(reading.mgPerDl()), reading.at()), context);
            for (TwinOutput output : context.drain()) {
                if (output.kind() == OutputKind.ALERT) {
                    alerts.add(reading.at());
                } else if (output.resource() instanceof Observation
                        && ((Observation) output.resource()).getCode().getCodingFirstRep().getCode()
                                .equals(GlucoseResources.FORECAST)) {
                    Observation forecast = (Observation) output.resource();
                    forecasts.put(reading.at(), new double[] {
                            forecast.getComponent().get(0).getValueQuantity().getValue().doubleValue(),
                            forecast.getComponent().get(2).getValueQuantity().getValue().doubleValue()});
                }
            }
        }

        Score thirty = score(series, forecasts, 30, 0);
        Score sixty = score(series, forecasts, 60, 1);
        HypoEpisodes hypo = hypoEpisodes(series, alerts);
        String report = String.format(Locale.ROOT, """
                Glucose twin forecast validation: Dexcom G6 series (%d readings), model vs persistence
                horizon 30 min: pairs %d, model RMSE %.2f mg/dL, persistence RMSE %.2f mg/dL (%.1f%% lower)
                horizon 60 min: pairs %d, model RMSE %.2f mg/dL, persistence RMSE %.2f mg/dL (%.1f%% lower)
                RMSE ratio model/persistence: 30 min %.3f, 60 min %.3f
                Clarke zones 30 min, model: A %.1f%%, B %.1f%%, C %.1f%%, D %.1f%%, E %.1f%% (A+B %.1f%%)
                Clarke zones 30 min, persistence: A+B %.1f%%
                Clarke zones 60 min, model: A %.1f%%, B %.1f%%, C %.1f%%, D %.1f%%, E %.1f%% (A+B %.1f%%)
                Clarke zones 60 min, persistence: A+B %.1f%%
                forecasts emitted %d; predicted-hypoglycaemia alerts %d
                episodes of readings below 70 mg/dL %d; alerted at or before onset %d
                """, series.size(), thirty.pairs, thirty.model, thirty.persistence,
                100 * (1 - thirty.model / thirty.persistence), sixty.pairs, sixty.model, sixty.persistence,
                100 * (1 - sixty.model / sixty.persistence), thirty.model / thirty.persistence,
                sixty.model / sixty.persistence,
                thirty.share(thirty.modelZones, "A"), thirty.share(thirty.modelZones, "B"),
                thirty.share(thirty.modelZones, "C"), thirty.share(thirty.modelZones, "D"),
                thirty.share(thirty.modelZones, "E"), thirty.share(thirty.modelZones, "AB"),
                thirty.share(thirty.persistenceZones, "AB"),
                sixty.share(sixty.modelZones, "A"), sixty.share(sixty.modelZones, "B"),
                sixty.share(sixty.modelZones, "C"), sixty.share(sixty.modelZones, "D"),
                sixty.share(sixty.modelZones, "E"), sixty.share(sixty.modelZones, "AB"),
                sixty.share(sixty.persistenceZones, "AB"),
                forecasts.size(), alerts.size(), hypo.episodes, hypo.alertedBeforeOnset);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "glucose-forecast-validation.txt"), report, StandardCharsets.UTF_8);
        System.out.print(report);

        assertThat(thirty.pairs).isGreaterThan(2000);
        assertThat(thirty.model).isLessThan(thirty.persistence);
        assertThat(thirty.share(thirty.modelZones, "AB")).as("Clarke A+B at 30 min").isGreaterThanOrEqualTo(95);
    }

    /** RMSEs, and the Clarke zone counts (index 0 = A ... 4 = E) of the model's and persistence's estimates. */
    private record Score(int pairs, double model, double persistence, int[] modelZones, int[] persistenceZones) {
        double share(int[] zones, String which) {
            int n = 0;
            for (char z : which.toCharArray()) {
                n += zones[z - 'A'];
            }
            return 100.0 * n / pairs;
        }
    }

    private static Score score(List<CgmSeries.Reading> series, Map<Instant, double[]> forecasts, int minutes,
            int index) {
        double modelSquares = 0;
        double persistenceSquares = 0;
        int pairs = 0;
        int j = 0;
        int[] modelZones = new int[5];
        int[] persistenceZones = new int[5];
        for (CgmSeries.Reading reading : series) {
            double[] forecast = forecasts.get(reading.at());
            if (forecast == null) {
                continue;
            }
            Instant target = reading.at().plus(Duration.ofMinutes(minutes));
            while (j < series.size() && series.get(j).at().isBefore(target.minus(TOLERANCE))) {
                j++;
            }
            if (j < series.size() && !series.get(j).at().isAfter(target.plus(TOLERANCE))) {
                double actual = series.get(j).mgPerDl();
                modelSquares += Math.pow(forecast[index] - actual, 2);
                persistenceSquares += Math.pow(reading.mgPerDl() - actual, 2);
                modelZones[ClarkeErrorGrid.zone(actual, forecast[index]) - 'A']++;
                persistenceZones[ClarkeErrorGrid.zone(actual, reading.mgPerDl()) - 'A']++;
                pairs++;
            }
        }
        return new Score(pairs, Math.sqrt(modelSquares / pairs), Math.sqrt(persistenceSquares / pairs), modelZones,
                persistenceZones);
    }

    private record HypoEpisodes(int episodes, int alertedBeforeOnset) {
    }

    /** An episode starts at a reading below 70 mg/dL whose predecessor was not. */
    private static HypoEpisodes hypoEpisodes(List<CgmSeries.Reading> series, List<Instant> alerts) {
        int episodes = 0;
        int alerted = 0;
        for (int i = 1; i < series.size(); i++) {
            if (series.get(i).mgPerDl() < 70 && series.get(i - 1).mgPerDl() >= 70) {
                episodes++;
                Instant onset = series.get(i).at();
                if (alerts.stream().anyMatch(a -> !a.isAfter(onset) && a.isAfter(onset.minus(Duration.ofMinutes(45))))) {
                    alerted++;
                }
            }
        }
        return new HypoEpisodes(episodes, alerted);
    }
}
