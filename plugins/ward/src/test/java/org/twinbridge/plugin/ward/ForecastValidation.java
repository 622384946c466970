package org.twinbridge.plugin.ward;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.testing.InMemoryTwinContext;

/**
 * Replays a generated ADT stream through the twin in the order the messages arrive and, at every hour after a
 * warm-up, compares the twin's 24-hour forecast for each ward with what really happened (the generator's truth),
 * and with the naive forecast "the same hour yesterday". Run {@link #main} to print the README's table.
 */
final class ForecastValidation {

    static final Duration WARM_UP = Duration.ofDays(3);

    /** Errors over every (origin, ward, horizon); per-horizon MAE at 1, 6, 12 and 24 hours. */
    record Result(int forecasts, double twinMae, double twinRmse, double naiveMae, double naiveRmse,
            double coverage90, double censusMae, double[] twinMaeAt, double[] naiveMaeAt) {

        String table() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "origins x wards: %d; live census MAE %.2f beds%n", forecasts,
                    censusMae));
            out.append(String.format(Locale.ROOT, "| | MAE (beds) | RMSE (beds) |%n|---|---|---|%n"));
            out.append(String.format(Locale.ROOT, "| twin, hours 1-24 | %.2f | %.2f |%n", twinMae, twinRmse));
            out.append(String.format(Locale.ROOT, "| same hour yesterday | %.2f | %.2f |%n", naiveMae, naiveRmse));
            out.append(String.format(Locale.ROOT, "90%% interval coverage: %.1f%%%n", 100 * coverage90));
            int[] at = {1, 6, 12, 24};
            for (int i = 0; i < at.length; i++) {
                out.append(String.format(Locale.ROOT, "h=%d: twin MAE %.2f, naive MAE %.2f%n", at[i], twinMaeAt[i],
                        naiveMaeAt[i]));
            }
            return out.toString();
        }
    }

    private ForecastValidation() {
    }

    static Result run(AdtStreamGenerator.Stream stream) {
        WardTwin twin = new WardTwin();
        InMemoryTwinContext context = new InMemoryTwinContext(WardTwin.ID);
        int next = 0;
        List<AdtStreamGenerator.Message> messages = stream.messages();
        Instant end = stream.start().plus(Duration.ofDays(stream.days())).minus(Duration.ofHours(24));
        double absTwin = 0;
        double sqTwin = 0;
        double absNaive = 0;
        double sqNaive = 0;
        double absCensus = 0;
        int covered = 0;
        int n = 0;
        int origins = 0;
        double[] twinAt = new double[4];
        double[] naiveAt = new double[4];
        int[] horizons = {1, 6, 12, 24};
        for (Instant tick = stream.start().plus(WARM_UP); tick.isBefore(end); tick = tick.plus(Duration.ofHours(1))) {
            while (next < messages.size() && !messages.get(next).sent().isAfter(tick)) {
                AdtStreamGenerator.Message m = messages.get(next++);
                twin.onRecord(new AuthorisedRecord(m.patient(), m.encounter(), "Encounter", Optional.empty(),
                        "receipt-" + next, "validation"), context);
            }
            context.drain();
            HospitalIndex index = StateText.decodeIndex(context.state().get(WardTwin.HOSPITAL, WardTwin.INDEX_KEY)
                    .orElseThrow()).index();
            for (String name : List.of(AdtStreamGenerator.MED, AdtStreamGenerator.SURG)) {
                String ward = "Location/" + name;
                BedDemandForecast.Forecast forecast = BedDemandForecast.of(index, ward, tick).orElseThrow(() ->
                        new AssertionError("no forecast after the warm-up"));
                origins++;
                absCensus += Math.abs(index.occupants(ward, tick).size() - stream.census(name, tick));
                for (BedDemandForecast.Hour hour : forecast.hours()) {
                    Instant target = tick.plus(Duration.ofHours(hour.hoursAhead()));
                    int actual = stream.census(name, target);
                    int naive = stream.census(name, target.minus(Duration.ofHours(24)));
                    double e = hour.expected() - actual;
                    absTwin += Math.abs(e);
                    sqTwin += e * e;
                    absNaive += Math.abs(naive - actual);
                    sqNaive += (double) (naive - actual) * (naive - actual);
                    covered += actual >= hour.lower() && actual <= hour.upper() ? 1 : 0;
                    n++;
                    for (int i = 0; i < horizons.length; i++) {
                        if (hour.hoursAhead() == horizons[i]) {
                            twinAt[i] += Math.abs(e);
                            naiveAt[i] += Math.abs(naive - actual);
                        }
                    }
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            twinAt[i] /= origins;
            naiveAt[i] /= origins;
        }
        return new Result(origins, absTwin / n, Math.sqrt(sqTwin / n), absNaive / n, Math.sqrt(sqNaive / n),
                (double) covered / n, absCensus / origins, twinAt, naiveAt);
    }

    /** Prints the validation table for the README: {@code seed days}. */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 20250303L;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 28;
        System.out.print(run(AdtStreamGenerator.generate(seed, Instant.parse("2025-03-03T00:00:00Z"), days)).table());
    }
}
