package org.twinbridge.plugin.implant;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * Lead checks on each new reading, against the lead's own recent baseline.
 *
 * <ul>
 *   <li><b>Impedance jump</b>: the median of the last three readings is outside {@value #IMPEDANCE_MIN_OHM} to
 *       {@value #IMPEDANCE_MAX_OHM} Ω, or differs from the baseline (the median of the readings 7 to 60 days
 *       earlier) by {@value #IMPEDANCE_JUMP} or more of it. A rise suggests a conductor fracture, a fall an
 *       insulation breach. The median of three ignores a single noisy reading.</li>
 *   <li><b>Rising threshold</b>: the median of the last three pacing thresholds is at least
 *       {@value #THRESHOLD_RISE_V} V above the baseline (readings 7 to 90 days earlier), or at least double it
 *       and {@value #THRESHOLD_TREND_RISE_V} V above, or {@value #THRESHOLD_TREND_RISE_V} V above while the last
 *       six readings climb by {@value #THRESHOLD_TREND_V_PER_30D} V per 30 days or more (a gradual exit block),
 *       or above {@value #THRESHOLD_MAX_V} V.</li>
 * </ul>
 * A check needs at least three recent readings and three baseline readings. These limits are common device-clinic
 * rules of thumb, chosen for demonstration; they are not a device manufacturer's and not clinically validated.
 */
final class LeadMonitor {

    static final int IMPEDANCE_MIN_OHM = 200;
    static final int IMPEDANCE_MAX_OHM = 2000;
    static final double IMPEDANCE_JUMP = 0.30;
    static final double THRESHOLD_RISE_V = 1.0;
    static final double THRESHOLD_MAX_V = 3.5;
    static final double THRESHOLD_TREND_RISE_V = 0.5;
    static final double THRESHOLD_TREND_V_PER_30D = 0.2;

    private LeadMonitor() {
    }

    /** A finding: what was seen, in words without values for the summary, and the values for the resource. */
    record Finding(String kind, double recent, double baseline, String words) {
    }

    static Optional<Finding> check(DeviceHistory history, Measure measure, Instant now) {
        if (!measure.isImpedance() && !measure.isThreshold()) {
            return Optional.empty();
        }
        NavigableMap<Instant, Double> series = history.series(measure).headMap(now, true);
        List<Double> recent = new ArrayList<>(series.descendingMap().values()).subList(0, Math.min(3,
                series.size()));
        Duration baselineFrom = measure.isImpedance() ? Duration.ofDays(60) : Duration.ofDays(90);
        List<Double> baseline = new ArrayList<>(series.subMap(now.minus(baselineFrom), true,
                now.minus(Duration.ofDays(7)), true).values());
        if (recent.size() < 3) {
            return Optional.empty();
        }
        double r = median(recent);
        if (measure.isImpedance()) {
            if (r > IMPEDANCE_MAX_OHM || r < IMPEDANCE_MIN_OHM) {
                return Optional.of(new Finding("lead-impedance-out-of-range", r, baseline.isEmpty() ? r
                        : median(baseline), measure.channel() + " lead impedance out of range"));
            }
            if (baseline.size() >= 3) {
                double b = median(baseline);
                if (Math.abs(r - b) >= IMPEDANCE_JUMP * b) {
                    return Optional.of(new Finding("lead-impedance-jump", r, b, String.format(Locale.ROOT,
                            "%s lead impedance %s abruptly", measure.channel(), r > b ? "rose" : "fell")));
                }
            }
            return Optional.empty();
        }
        if (r > THRESHOLD_MAX_V) {
            return Optional.of(new Finding("pacing-threshold-rise", r, baseline.isEmpty() ? r : median(baseline),
                    measure.channel() + " pacing threshold high"));
        }
        if (baseline.size() >= 3) {
            double b = median(baseline);
            if (r - b >= THRESHOLD_RISE_V || (b > 0 && r >= 2 * b && r - b >= THRESHOLD_TREND_RISE_V)
                    || (r - b >= THRESHOLD_TREND_RISE_V && recentSlope(series, 6) >= THRESHOLD_TREND_V_PER_30D)) {
                return Optional.of(new Finding("pacing-threshold-rise", r, b,
                        measure.channel() + " pacing threshold rising"));
            }
        }
        return Optional.empty();
    }

    /** The least-squares slope of the last {@code n} readings, per 30 days; 0 with fewer. */
    private static double recentSlope(NavigableMap<Instant, Double> series, int n) {
        if (series.size() < n) {
            return 0;
        }
        List<Map.Entry<Instant, Double>> last = new ArrayList<>(series.descendingMap().entrySet()).subList(0, n);
        double[] x = new double[n];
        double[] y = new double[n];
        Instant first = last.get(n - 1).getKey();
        for (int i = 0; i < n; i++) {
            x[i] = Duration.between(first, last.get(i).getKey()).toSeconds() / 86400.0;
            y[i] = last.get(i).getValue();
        }
        return EriForecast.line(x, y)[1] * 30;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The trend of a measure over the last 90 days: change per 30 days, if there are three readings. */
    static Optional<Double> slopePer30Days(DeviceHistory history, Measure measure, Instant now) {
        NavigableMap<Instant, Double> window = history.series(measure).subMap(now.minus(Duration.ofDays(90)), true,
                now, true);
        if (window.size() < 3) {
            return Optional.empty();
        }
        double[] x = new double[window.size()];
        double[] y = new double[window.size()];
        int i = 0;
        for (Map.Entry<Instant, Double> e : window.entrySet()) {
            x[i] = Duration.between(window.firstKey(), e.getKey()).toSeconds() / 86400.0;
            y[i++] = e.getValue();
        }
        return Optional.of(EriForecast.line(x, y)[1] * 30);
    }
}
