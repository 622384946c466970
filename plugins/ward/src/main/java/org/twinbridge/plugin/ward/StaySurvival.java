package org.twinbridge.plugin.ward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Kaplan-Meier estimate of how long a ward stay lasts: finished stays are events, stays still running are
 * censored at their length so far (ignoring them would bias the estimate towards short stays). Beyond the longest
 * observed stay the curve is extended by an exponential tail with the mean stay, so that a patient who has stayed
 * longer than anyone before still gets a sensible chance of staying on. Immutable.
 */
final class StaySurvival {

    private final double[] times;      // distinct event times, hours, ascending
    private final double[] survival;   // S just after each time
    private final double meanHours;

    private StaySurvival(double[] times, double[] survival, double meanHours) {
        this.times = times;
        this.survival = survival;
        this.meanHours = meanHours;
    }

    /**
     * @param finishedHours lengths of finished stays, hours
     * @param runningHours  lengths so far of stays still running, hours
     */
    static StaySurvival estimate(List<Double> finishedHours, List<Double> runningHours) {
        record Obs(double t, boolean event) {
        }
        List<Obs> all = new ArrayList<>();
        finishedHours.forEach(t -> all.add(new Obs(t, true)));
        runningHours.forEach(t -> all.add(new Obs(t, false)));
        all.sort((a, b) -> a.t() != b.t() ? Double.compare(a.t(), b.t()) : Boolean.compare(b.event(), a.event()));
        List<Double> ts = new ArrayList<>();
        List<Double> ss = new ArrayList<>();
        double s = 1;
        int atRisk = all.size();
        int i = 0;
        while (i < all.size()) {
            double t = all.get(i).t();
            int events = 0;
            int leaving = 0;
            while (i < all.size() && all.get(i).t() == t) {
                events += all.get(i).event() ? 1 : 0;
                leaving++;
                i++;
            }
            if (events > 0) {
                s *= 1 - (double) events / atRisk;
                ts.add(t);
                ss.add(s);
            }
            atRisk -= leaving;
        }
        double mean = finishedHours.stream().mapToDouble(Double::doubleValue).average().orElse(72);
        return new StaySurvival(ts.stream().mapToDouble(Double::doubleValue).toArray(),
                ss.stream().mapToDouble(Double::doubleValue).toArray(), Math.max(mean, 1));
    }

    /** The number of finished stays the estimate rests on. */
    int events() {
        return times.length;
    }

    /** P(a stay lasts longer than {@code hours}). */
    double survival(double hours) {
        if (hours <= 0) {
            return 1;
        }
        int idx = Arrays.binarySearch(times, hours);
        int last = idx >= 0 ? idx : -idx - 2; // the last event time at or before hours
        double s = last < 0 ? 1 : survival[last];
        if (times.length > 0 && hours > times[times.length - 1]) {
            s *= Math.exp(-(hours - times[times.length - 1]) / meanHours);
        }
        return s;
    }

    /** P(a stay that has lasted {@code elapsed} hours lasts {@code more} hours longer). */
    double stillThere(double elapsed, double more) {
        double now = survival(elapsed);
        if (now <= 1e-9) {
            return Math.exp(-more / meanHours);
        }
        return Math.min(1, survival(elapsed + more) / now);
    }
}
