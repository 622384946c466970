package org.twinbridge.plugin.glucose;

import java.time.Duration;
import java.time.Instant;

/**
 * The international consensus CGM metrics (Battelino et al., Diabetes Care 2019;42:1593-1603) over a window
 * of readings. Percentages are of readings, which with a sensor's fixed interval is the share of time.
 *
 * @param readings      how many readings
 * @param from          the first reading's time
 * @param to            the last reading's time
 * @param meanMgPerDl   mean glucose
 * @param sdMgPerDl     sample standard deviation (n - 1), 0 for a single reading
 * @param cvPercent     coefficient of variation, 100 x SD / mean; the consensus target is 36% or less
 * @param gmiPercent    glucose management indicator, 3.31 + 0.02392 x mean mg/dL (Bergenstal et al. 2018)
 * @param tirPercent    time in range, 70-180 mg/dL inclusive
 * @param tbr70Percent  time below 70 mg/dL (includes below 54)
 * @param tbr54Percent  time below 54 mg/dL
 * @param tar180Percent time above 180 mg/dL (includes above 250)
 * @param tar250Percent time above 250 mg/dL
 * @param coverage      the time the readings span, at most the window
 * @param activePercent the share of that span with readings, assuming one reading per sensor interval
 */
record CgmMetrics(long readings, Instant from, Instant to, double meanMgPerDl, double sdMgPerDl,
        double cvPercent, double gmiPercent, double tirPercent, double tbr70Percent, double tbr54Percent,
        double tar180Percent, double tar250Percent, Duration coverage, double activePercent) {

    /** The consensus asks for 14 days of data... */
    static final Duration RECOMMENDED_COVERAGE = Duration.ofDays(14);
    /** ...with the sensor active at least 70% of the time. */
    static final double RECOMMENDED_ACTIVE_PERCENT = 70;

    /** GMI (%) from mean glucose in mg/dL. */
    static double gmi(double meanMgPerDl) {
        return 3.31 + 0.02392 * meanMgPerDl;
    }

    /**
     * True if the data meet the consensus minimum for these metrics to stand for the patient's usual
     * glucose: 14 days (less one sensor interval, the span between first and last reading) with the sensor
     * active 70% of the time.
     */
    boolean sufficient() {
        return coverage.compareTo(RECOMMENDED_COVERAGE.minus(CgmSummary.SENSOR_INTERVAL)) >= 0
                && activePercent >= RECOMMENDED_ACTIVE_PERCENT;
    }

    /** The span in days, for people. */
    double coverageDays() {
        return coverage.toMillis() / (double) Duration.ofDays(1).toMillis();
    }
}
