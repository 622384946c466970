package org.twinbridge.plugin.implant;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Random;

/**
 * When the battery will reach its elective replacement indicator (ERI), with a 90% interval.
 *
 * <p><b>From remaining longevity</b> (preferred): the device's latest estimate, with an interval from how its
 * estimates of the last 12 months have actually fallen (see {@code fromLongevity}). <b>From voltage</b> (when
 * no longevity is reported): a line through the last six months of voltage, extended to {@link #ERI_VOLTAGE}.
 * Lithium-iodine voltage is flat for years and falls faster near the end, so the voltage forecast is late-biased
 * until the knee and is marked as such.
 *
 * <p><b>Interval</b> of the voltage forecast: residual bootstrap of the line (200 resamples, seeded by the data so
 * that a replay gives the same answer). Both intervals are at least ±{@link #MIN_RELATIVE_HALF_WIDTH} of the time
 * remaining, because neither method can know about future changes in pacing.
 */
final class EriForecast {

    /** A typical lithium-iodine ERI voltage; devices differ (see the README's limits). */
    static final double ERI_VOLTAGE = 2.50;
    static final double MIN_RELATIVE_HALF_WIDTH = 0.15;
    private static final Duration LONGEVITY_WINDOW = Duration.ofDays(365);
    private static final Duration VOLTAGE_WINDOW = Duration.ofDays(182);
    private static final double DAYS_PER_MONTH = 365.25 / 12;
    private static final int BOOTSTRAP = 200;
    static final int MIN_PAIR_DAYS = 60;
    static final double MIN_RATE = 0.7;
    static final double MAX_RATE = 1.5;

    private EriForecast() {
    }

    /** The basis of a forecast. */
    enum Basis { LONGEVITY, VOLTAGE }

    /**
     * @param expected the expected ERI date
     * @param lower    the 5th percentile
     * @param upper    the 95th percentile
     * @param slope    the fitted change per 30 days, months of longevity (or volts)
     */
    record Forecast(Basis basis, Instant expected, Instant lower, Instant upper, double slope) {
    }

    static Optional<Forecast> of(DeviceHistory history, Instant now) {
        NavigableMap<Instant, Double> longevity = history.series(Measure.BATTERY_LONGEVITY)
                .subMap(now.minus(LONGEVITY_WINDOW), true, now, true);
        if (!longevity.isEmpty()) {
            return Optional.of(fromLongevity(longevity, now));
        }
        NavigableMap<Instant, Double> voltage = history.series(Measure.BATTERY_VOLTAGE)
                .subMap(now.minus(VOLTAGE_WINDOW), true, now, true);
        if (voltage.size() >= 3 && span(voltage).toDays() >= 30) {
            return fit(voltage, ERI_VOLTAGE, now, Basis.VOLTAGE, 1);
        }
        return Optional.empty();
    }

    /**
     * The device's latest longevity, counted down from the time it was reported; its uncertainty from how fast the
     * device's estimates have really been falling. A device re-estimates from its recent drain, so when pacing
     * changes its estimates fall faster or slower than a month a month; the 10th and 90th percentiles of the
     * pairwise rates (readings at least {@value #MIN_PAIR_DAYS} days apart in the last year, clamped to
     * [{@value #MIN_RATE}, {@value #MAX_RATE}]) give the interval, which is at least
     * ±{@link #MIN_RELATIVE_HALF_WIDTH} of the time remaining.
     */
    private static Forecast fromLongevity(NavigableMap<Instant, Double> points, Instant now) {
        Map.Entry<Instant, Double> last = points.lastEntry();
        List<Double> rates = new ArrayList<>();
        List<Map.Entry<Instant, Double>> list = new ArrayList<>(points.entrySet());
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                double days = Duration.between(list.get(i).getKey(), list.get(j).getKey()).toSeconds() / 86400.0;
                if (days >= MIN_PAIR_DAYS) {
                    rates.add((list.get(i).getValue() - list.get(j).getValue()) / (days / DAYS_PER_MONTH));
                }
            }
        }
        rates.sort(Double::compare);
        // The point estimate keeps the device's own rate (1 month a month): correcting it by the observed rate made
        // it worse in validation, because pacing changes move the rate more than a capacity error does.
        double rate = 1;
        double low = rates.size() < 3 ? 1 : Math.min(1, clamp(rates.get(rates.size() / 10)));
        double high = rates.size() < 3 ? 1 : Math.max(1, clamp(rates.get(9 * rates.size() / 10)));
        Instant base = last.getKey();
        // Devices report whole months: the truth lies anywhere within a month of the figure, so the interval is at
        // least a month wide around it.
        boolean wholeMonths = points.values().stream().allMatch(v -> v == Math.rint(v));
        double months = Math.max(0, last.getValue());
        double remainingDays = months / rate * DAYS_PER_MONTH - Duration.between(base, now).toSeconds() / 86400.0;
        remainingDays = Math.max(0, remainingDays);
        Instant expected = now.plusSeconds((long) (remainingDays * 86400));
        double soonest = Math.max(0, months / high * DAYS_PER_MONTH - Duration.between(base, now).toSeconds() / 86400.0);
        double latest = Math.max(0, months / low * DAYS_PER_MONTH - Duration.between(base, now).toSeconds() / 86400.0);
        soonest = Math.min(soonest, remainingDays * (1 - MIN_RELATIVE_HALF_WIDTH));
        latest = Math.max(latest, remainingDays * (1 + MIN_RELATIVE_HALF_WIDTH) + (wholeMonths ? 31 : 0));
        soonest = Math.max(0, Math.min(soonest, remainingDays - (wholeMonths ? 16 : 0)));
        return new Forecast(Basis.LONGEVITY, expected, now.plusSeconds((long) (soonest * 86400)),
                now.plusSeconds((long) (latest * 86400)), -rate);
    }

    private static double clamp(double rate) {
        return Math.max(MIN_RATE, Math.min(MAX_RATE, rate));
    }

    /** Fits y = a + b·t (t in days since the first point, y scaled to days by {@code scale}), solves y = target. */
    private static Optional<Forecast> fit(NavigableMap<Instant, Double> points, double target, Instant now,
            Basis basis, double scale) {
        Instant t0 = points.firstKey();
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        int i = 0;
        for (Map.Entry<Instant, Double> e : points.entrySet()) {
            x[i] = Duration.between(t0, e.getKey()).toSeconds() / 86400.0;
            y[i] = e.getValue();
            i++;
        }
        double[] line = line(x, y);
        if (line[1] >= 0) {
            return Optional.empty(); // not depleting: no crossing to forecast
        }
        double crossing = (target - line[0]) / line[1];
        double[] residuals = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            residuals[k] = y[k] - (line[0] + line[1] * x[k]);
        }
        Random random = new Random(Arrays.hashCode(y) * 31L + x.length);
        List<Double> crossings = new ArrayList<>();
        double[] resampled = new double[x.length];
        for (int b = 0; b < BOOTSTRAP; b++) {
            for (int k = 0; k < x.length; k++) {
                resampled[k] = line[0] + line[1] * x[k] + residuals[random.nextInt(x.length)];
            }
            double[] l = line(x, resampled);
            if (l[1] < 0) {
                crossings.add((target - l[0]) / l[1]);
            }
        }
        crossings.sort(Double::compare);
        double nowDays = Duration.between(t0, now).toSeconds() / 86400.0;
        double remaining = Math.max(0, crossing - nowDays);
        double lo = crossings.isEmpty() ? crossing : crossings.get((int) (0.05 * (crossings.size() - 1)));
        double hi = crossings.isEmpty() ? crossing : crossings.get((int) Math.ceil(0.95 * (crossings.size() - 1)));
        lo = Math.min(lo, crossing - MIN_RELATIVE_HALF_WIDTH * remaining);
        hi = Math.max(hi, crossing + MIN_RELATIVE_HALF_WIDTH * remaining);
        lo = Math.max(lo, nowDays);
        return Optional.of(new Forecast(basis, at(t0, Math.max(crossing, nowDays)), at(t0, lo),
                at(t0, Math.max(hi, nowDays)), line[1] * 30 * (basis == Basis.LONGEVITY ? 1 : scale)));
    }

    private static Instant at(Instant t0, double days) {
        return t0.plusSeconds((long) (days * 86400));
    }

    /** Least squares: {intercept, slope}. */
    static double[] line(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        return new double[] {my - slope * mx, slope};
    }

    private static Duration span(NavigableMap<Instant, Double> points) {
        return Duration.between(points.firstKey(), points.lastKey());
    }
}
