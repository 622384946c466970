package org.twinbridge.plugin.glucose;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Running totals of the CGM readings in the metrics window, from which {@link CgmMetrics} follow without
 * revisiting the readings: a reading is added as it arrives and removed as it leaves the window.
 *
 * <p>Readings are held in tenths of a mg/dL, so every total is an exact integer and adding and removing
 * readings never drifts. Each reading is put in its consensus band by its value rounded half up to a whole
 * mg/dL, the precision sensors report in and the thresholds are written in; this also gives the consensus
 * mmol/L thresholds their intended meaning (10.0 mmol/L is 180.16 mg/dL, which rounds to 180 and is in
 * range; 3.9 mmol/L rounds to 70, in range; 3.0 to 54, not below 54). Immutable.
 *
 * @param readings      how many readings
 * @param sumTenths     their sum, in tenths of a mg/dL
 * @param sumSquares    the sum of their squares, in (tenths of a mg/dL)^2
 * @param below54       readings below 54 mg/dL
 * @param below70       readings below 70 mg/dL (including those below 54)
 * @param above180      readings above 180 mg/dL (including those above 250)
 * @param above250      readings above 250 mg/dL
 * @param oldest        the oldest reading's time; empty when there are none
 * @param newest        the newest reading's time; empty when there are none
 * @param days          the UTC epoch days that hold readings of the window, ascending
 */
record CgmSummary(long readings, long sumTenths, long sumSquares, long below54, long below70, long above180,
        long above250, Optional<Instant> oldest, Optional<Instant> newest, List<Long> days) {

    /** The sensor's reading interval: 5 minutes for the Dexcom G6 and most current sensors. */
    static final Duration SENSOR_INTERVAL = Duration.ofMinutes(5);

    static final CgmSummary EMPTY = new CgmSummary(0, 0, 0, 0, 0, 0, 0, Optional.empty(), Optional.empty(),
            List.of());

    CgmSummary {
        days = List.copyOf(days);
        if (readings < 0 || below54 > below70 || above250 > above180 || below70 + above180 > readings
                || (readings == 0) != oldest.isEmpty() || oldest.isEmpty() != newest.isEmpty()) {
            throw new IllegalArgumentException("inconsistent CGM totals");
        }
    }

    /** A value in mg/dL as tenths, the unit the totals are kept in. */
    static int tenths(double mgPerDl) {
        return (int) Math.round(mgPerDl * 10);
    }

    /** The whole mg/dL a reading is banded by: tenths rounded half up. */
    static int bandValue(int tenths) {
        return (tenths + 5) / 10;
    }

    /** These totals with one more reading, taken at {@code at}, the newest. */
    CgmSummary plus(Instant at, int tenths) {
        int mg = bandValue(tenths);
        long epochDay = Math.floorDiv(at.getEpochSecond(), 86_400L);
        List<Long> newDays = days;
        if (days.isEmpty() || days.get(days.size() - 1) != epochDay) {
            newDays = new ArrayList<>(days);
            newDays.add(epochDay);
        }
        return new CgmSummary(readings + 1, sumTenths + tenths, sumSquares + (long) tenths * tenths,
                below54 + (mg < 54 ? 1 : 0), below70 + (mg < 70 ? 1 : 0), above180 + (mg > 180 ? 1 : 0),
                above250 + (mg > 250 ? 1 : 0), Optional.of(oldest.orElse(at)), Optional.of(at), newDays);
    }

    /** These totals without one reading; the caller then says which reading is now the oldest. */
    CgmSummary minus(int tenths) {
        int mg = bandValue(tenths);
        long left = readings - 1;
        return new CgmSummary(left, sumTenths - tenths, sumSquares - (long) tenths * tenths,
                below54 - (mg < 54 ? 1 : 0), below70 - (mg < 70 ? 1 : 0), above180 - (mg > 180 ? 1 : 0),
                above250 - (mg > 250 ? 1 : 0), left == 0 ? Optional.empty() : oldest,
                left == 0 ? Optional.empty() : newest, left == 0 ? List.of() : days);
    }

    CgmSummary withOldest(Instant at, List<Long> remainingDays) {
        return new CgmSummary(readings, sumTenths, sumSquares, below54, below70, above180, above250,
                Optional.of(at), newest, remainingDays);
    }

    /** The metrics, or nothing without readings. */
    Optional<CgmMetrics> metrics() {
        if (readings == 0) {
            return Optional.empty();
        }
        double n = readings;
        double mean = sumTenths / n / 10;
        // n * sum(x^2) - (sum x)^2 is exact in a long for any window this twin keeps.
        double sd = readings < 2 ? 0
                : Math.sqrt((readings * sumSquares - sumTenths * sumTenths) / (n * (n - 1))) / 10;
        Duration span = Duration.between(oldest.orElseThrow(), newest.orElseThrow()).plus(SENSOR_INTERVAL);
        double active = Math.min(100, 100.0 * readings * SENSOR_INTERVAL.toMillis() / span.toMillis());
        return Optional.of(new CgmMetrics(readings, oldest.orElseThrow(), newest.orElseThrow(), mean, sd,
                100 * sd / mean, CgmMetrics.gmi(mean), 100 * (readings - below70 - above180) / n,
                100 * below70 / n, 100 * below54 / n, 100 * above180 / n, 100 * above250 / n, span, active));
    }
}
