package org.twinbridge.plugin.ward;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The bed demand of one ward for each of the next 24 hours, with a 90% prediction interval.
 *
 * <p><b>Model.</b> Beds occupied at {@code origin + h} = patients on the ward now who are still there, plus
 * patients who arrive in the meantime and are still there. Each current patient stays on with the Kaplan-Meier
 * probability of a stay as long as theirs lasting {@code h} hours longer ({@link StaySurvival}, from the ward's
 * own stays of the last four weeks). Arrivals (admissions and transfers in) are Poisson with a rate per hour of
 * day, estimated from the same weeks; an arrival in hour {@code k} is still there at {@code h} with the
 * probability of a stay lasting {@code h - k - 1/2} hours. The distribution of the sum (a Poisson-binomial plus a
 * Poisson) is computed exactly, and the interval is its 5th and 95th percentiles.
 *
 * <p><b>Limits.</b> No day-of-week or seasonal effect, no planned (elective) admissions list, no capacity cap,
 * and arrivals are assumed independent (real arrivals cluster, so the interval is somewhat too narrow).
 */
final class BedDemandForecast {

    static final int HOURS = 24;
    static final int MIN_FINISHED_STAYS = 5;
    static final Duration MIN_HISTORY = Duration.ofHours(24);
    private static final double LOWER = 0.05;
    private static final double UPPER = 0.95;

    private BedDemandForecast() {
    }

    /** One hour's forecast: expected beds occupied and the 90% interval. */
    record Hour(int hoursAhead, double expected, int lower, int upper) {
    }

    /** A ward's forecast from an origin. */
    record Forecast(String ward, Instant origin, int census, List<Hour> hours) {
        Forecast {
            Objects.requireNonNull(ward, "ward");
            Objects.requireNonNull(origin, "origin");
            hours = List.copyOf(hours);
        }
    }

    /**
     * The forecast as of {@code origin}, from what the index knew then; empty until the ward has a day of history
     * and a few finished stays (then the estimate would be noise).
     */
    static Optional<Forecast> of(HospitalIndex index, String ward, Instant origin) {
        if (index.firstSeen().isEmpty() || index.firstSeen().get().plus(MIN_HISTORY).isAfter(origin)) {
            return Optional.empty();
        }
        Instant windowStart = later(index.firstSeen().get(), origin.minus(HospitalIndex.RETENTION));
        List<Double> finished = new ArrayList<>();
        List<Double> running = new ArrayList<>();
        double[] arrivalsByHour = new double[24];
        List<Double> currentElapsed = new ArrayList<>();
        for (WardStay stay : index.staysOn(ward)) {
            if (stay.start().isAfter(origin)) {
                continue; // heard of, but not yet happened as of the origin
            }
            boolean endedByOrigin = stay.end().isPresent() && !stay.end().get().isAfter(origin);
            double hours = hours(stay.start(), endedByOrigin ? stay.end().get() : origin);
            (endedByOrigin ? finished : running).add(hours);
            if (!endedByOrigin) {
                currentElapsed.add(hours);
            }
            if (!stay.start().isBefore(windowStart)) {
                arrivalsByHour[stay.start().atOffset(ZoneOffset.UTC).getHour()]++;
            }
        }
        if (finished.size() < MIN_FINISHED_STAYS) {
            return Optional.empty();
        }
        StaySurvival survival = StaySurvival.estimate(finished, running);
        double days = Math.max(1, hours(windowStart, origin) / 24);
        List<Hour> hours = new ArrayList<>();
        for (int h = 1; h <= HOURS; h++) {
            double[] stay = new double[currentElapsed.size()];
            for (int i = 0; i < stay.length; i++) {
                stay[i] = survival.stillThere(currentElapsed.get(i), h);
            }
            double newcomers = 0;
            for (int k = 0; k < h; k++) {
                int hourOfDay = origin.plus(Duration.ofMinutes(60L * k + 30)).atOffset(ZoneOffset.UTC).getHour();
                newcomers += arrivalsByHour[hourOfDay] / days * survival.survival(h - k - 0.5);
            }
            double[] pmf = Counts.convolve(Counts.poissonBinomial(stay), Counts.poisson(newcomers));
            double expected = newcomers;
            for (double p : stay) {
                expected += p;
            }
            hours.add(new Hour(h, expected, Counts.quantile(pmf, LOWER), Counts.quantile(pmf, UPPER)));
        }
        return Optional.of(new Forecast(ward, origin, currentElapsed.size(), hours));
    }

    static double hours(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds() / 3600.0;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
