package org.twinbridge.plugin.glucose;

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
import org.twinbridge.sdk.testing.InMemoryTwinContext;

/**
 * The glucose twin's forecast validated on the Dexcom G6 trace, the one CGM trace of usable length in the shared
 * test corpus: every reading goes through the plugin exactly as the node would deliver it (state written to and
 * read back from the store each time), and each emitted forecast is scored against the reading actually taken
 * 15, 30, 45 and 60 minutes later. The baseline is persistence ("glucose then will be what it is now"), scored
 * on the same pairs. Every forecast is made before the reading it is scored against exists for the model
 * (prequential, online evaluation).
 *
 * <p>The model's one tuned constant, the prior variance of its return term, was chosen on the first half of the
 * trace; the second half is held out and reported apart. A second, independent trace is still wanted (see the
 * README): the shared corpus has none the project can ship.
 *
 * <p>The numbers are written to {@code target/glucose-forecast-validation.txt}; the plugin README quotes them.
 */
class ForecastValidationTest {

    private static final Duration TOLERANCE = Duration.ofSeconds(150);
    private static final int[] HORIZONS = {15, 30, 45, 60};
    /** Index of the return rate {@code c} in the model's parameters (a1, a2, b_ins, b_carb, c). */
    private static final int RETURN_RATE = 4;

    @Test
    void dexcomTrace_forecastBeatsPersistenceAtEveryHorizon_andStaysInClarkeZonesAB() throws IOException {
        List<CgmSeries.Reading> dexcom = CgmSeries.dexcom();
        Replay run = replay(dexcom);
        Instant middle = dexcom.get(dexcom.size() / 2).at();

        StringBuilder report = new StringBuilder();
        report.append("Glucose twin forecast validation, model vs persistence (RMSE in mg/dL)\n");
        Map<String, Score> thirty = new HashMap<>();
        List<Score> all = new ArrayList<>();
        for (Part part : List.of(
                new Part("Dexcom G6, whole trace", Instant.MIN, Instant.MAX),
                new Part("Dexcom G6, first half (identification)", Instant.MIN, middle),
                new Part("Dexcom G6, second half (held out)", middle, Instant.MAX))) {
            report.append(String.format(Locale.ROOT, "%s (the trace has %d readings, %d forecasts):%n", part.name,
                    dexcom.size(), run.forecasts.size()));
            for (int minutes : HORIZONS) {
                Score score = score(dexcom, run, part, minutes);
                all.add(score);
                if (minutes == 30) {
                    thirty.put(part.name, score);
                }
                report.append(String.format(Locale.ROOT,
                        "  %d min: pairs %d, model %.2f, persistence %.2f, ratio %.3f;"
                                + " Clarke model A %.1f%% B %.1f%% C %.1f%% D %.1f%% E %.1f%% (A+B %.1f%%),"
                                + " persistence A+B %.1f%%%n",
                        minutes, score.pairs, score.model, score.persistence, score.ratio(),
                        score.share(score.modelZones, "A"), score.share(score.modelZones, "B"),
                        score.share(score.modelZones, "C"), score.share(score.modelZones, "D"),
                        score.share(score.modelZones, "E"), score.share(score.modelZones, "AB"),
                        score.share(score.persistenceZones, "AB")));
            }
        }
        HypoEpisodes hypo = hypoEpisodes(dexcom, run.alerts);
        report.append(String.format(Locale.ROOT,
                "Dexcom G6: predicted-hypoglycaemia alerts %d; episodes of readings below 70 mg/dL %d,"
                        + " alerted in the 45 min up to onset %d%n",
                run.alerts.size(), hypo.episodes, hypo.alertedBeforeOnset));
        report.append(String.format(Locale.ROOT, "Dexcom G6: learned return rate c at the end %.4f per 5 min%n",
                run.finalReturnRate));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "glucose-forecast-validation.txt"), report, StandardCharsets.UTF_8);
        System.out.print(report);

        Score wholeThirty = thirty.get("Dexcom G6, whole trace");
        Score identificationThirty = thirty.get("Dexcom G6, first half (identification)");
        Score heldOutThirty = thirty.get("Dexcom G6, second half (held out)");
        assertThat(wholeThirty.pairs).isGreaterThan(2000);
        // The halves split the whole: no pair lost or counted twice.
        assertThat(identificationThirty.pairs + heldOutThirty.pairs).isEqualTo(wholeThirty.pairs);
        assertThat(heldOutThirty.pairs).isGreaterThan(1000);
        assertThat(all).as("the model beats persistence at every horizon on the trace and each half")
                .allSatisfy(score -> assertThat(score.ratio()).isLessThan(1));
        // The figures the README reports (0.84 whole, 0.83 held out at 30 min), with a little room.
        assertThat(wholeThirty.ratio()).as("Dexcom 30-minute RMSE ratio").isLessThan(0.86);
        assertThat(heldOutThirty.ratio()).as("Dexcom held-out half 30-minute RMSE ratio").isLessThan(0.86);
        assertThat(List.of(wholeThirty, heldOutThirty)).as("Clarke A+B at 30 min")
                .allSatisfy(score -> assertThat(score.share(score.modelZones, "AB")).isGreaterThanOrEqualTo(95));
        assertThat(run.finalReturnRate).as("the learned term is a return towards the usual level").isNegative();
    }

    /** The part of the trace whose forecasts start in [{@code from}, {@code to}). */
    private record Part(String name, Instant from, Instant to) {
    }

    /**
     * The forecasts the plugin emitted, by the time of the reading they start from and minutes ahead; the alerts;
     * the return rate the model had learned after the last reading.
     */
    private record Replay(Map<Instant, Map<Integer, Double>> forecasts, List<Instant> alerts, double finalReturnRate) {
    }

    private static Replay replay(List<CgmSeries.Reading> series) {
        GlucoseTwin twin = new GlucoseTwin();
        InMemoryTwinContext context = new InMemoryTwinContext(GlucoseTwin.ID);
        Map<Instant, Map<Integer, Double>> forecasts = new HashMap<>();
        List<Instant> alerts = new ArrayList<>();
        for (CgmSeries.Reading reading : series) {
            twin.onRecord(Records.record(Records.cgm(reading.mgPerDl()), reading.at()), context);
            for (TwinOutput output : context.drain()) {
                if (output.kind() == OutputKind.ALERT) {
                    alerts.add(reading.at());
                } else if (output.resource() instanceof Observation forecast
                        && forecast.getCode().getCodingFirstRep().getCode().equals(GlucoseResources.FORECAST)) {
                    Map<Integer, Double> byMinutes = new HashMap<>();
                    for (int minutes : HORIZONS) {
                        byMinutes.put(minutes, forecast.getComponent().stream()
                                .filter(c -> c.getCode().getCodingFirstRep().getCode()
                                        .equals("forecast-" + minutes + "min"))
                                .findFirst().orElseThrow().getValueQuantity().getValue().doubleValue());
                    }
                    forecasts.put(reading.at(), byMinutes);
                }
            }
        }
        double returnRate = context.state().get(Records.SUBJECT, GlucoseTwin.STATE_KEY)
                .flatMap(TwinStateText::decode).orElseThrow().model().theta().get(RETURN_RATE);
        return new Replay(forecasts, alerts, returnRate);
    }

    /** RMSEs, and the Clarke zone counts (index 0 = A ... 4 = E) of the model's and persistence's estimates. */
    private record Score(int pairs, double model, double persistence, int[] modelZones, int[] persistenceZones) {
        double ratio() {
            return model / persistence;
        }

        double share(int[] zones, String which) {
            int n = 0;
            for (char z : which.toCharArray()) {
                n += zones[z - 'A'];
            }
            return 100.0 * n / pairs;
        }
    }

    private static Score score(List<CgmSeries.Reading> series, Replay run, Part part, int minutes) {
        double modelSquares = 0;
        double persistenceSquares = 0;
        int pairs = 0;
        int j = 0;
        int[] modelZones = new int[5];
        int[] persistenceZones = new int[5];
        for (CgmSeries.Reading reading : series) {
            Map<Integer, Double> forecast = run.forecasts.get(reading.at());
            if (forecast == null || reading.at().isBefore(part.from) || !reading.at().isBefore(part.to)) {
                continue;
            }
            Instant target = reading.at().plus(Duration.ofMinutes(minutes));
            while (j < series.size() && series.get(j).at().isBefore(target.minus(TOLERANCE))) {
                j++;
            }
            if (j < series.size() && !series.get(j).at().isAfter(target.plus(TOLERANCE))) {
                double actual = series.get(j).mgPerDl();
                double predicted = forecast.get(minutes);
                modelSquares += Math.pow(predicted - actual, 2);
                persistenceSquares += Math.pow(reading.mgPerDl() - actual, 2);
                modelZones[ClarkeErrorGrid.zone(actual, predicted) - 'A']++;
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
                if (alerts.stream().anyMatch(a -> !a.isAfter(onset)
                        && a.isAfter(onset.minus(Duration.ofMinutes(45))))) {
                    alerted++;
                }
            }
        }
        return new HypoEpisodes(episodes, alerted);
    }
}
