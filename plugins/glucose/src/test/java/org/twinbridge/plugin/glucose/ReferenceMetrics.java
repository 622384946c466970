package org.twinbridge.plugin.glucose;

import java.util.List;

/**
 * The consensus CGM metrics computed the straightforward way, a loop over the readings, to check the twin's
 * incremental totals against. Shares no code with the plugin.
 */
record ReferenceMetrics(int n, double mean, double sd, double cv, double gmi, double tir, double below70,
        double below54, double above180, double above250) {

    static ReferenceMetrics of(List<Double> mgPerDl) {
        int n = mgPerDl.size();
        double sum = 0;
        int below54 = 0;
        int below70 = 0;
        int inRange = 0;
        int above180 = 0;
        int above250 = 0;
        for (double v : mgPerDl) {
            sum += v;
            long whole = Math.round(v); // the consensus thresholds are whole mg/dL
            if (whole < 54) {
                below54++;
            }
            if (whole < 70) {
                below70++;
            }
            if (whole >= 70 && whole <= 180) {
                inRange++;
            }
            if (whole > 180) {
                above180++;
            }
            if (whole > 250) {
                above250++;
            }
        }
        double mean = sum / n;
        double squares = 0;
        for (double v : mgPerDl) {
            squares += (v - mean) * (v - mean);
        }
        double sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
        return new ReferenceMetrics(n, mean, sd, 100 * sd / mean, 3.31 + 0.02392 * mean, 100.0 * inRange / n,
                100.0 * below70 / n, 100.0 * below54 / n, 100.0 * above180 / n, 100.0 * above250 / n);
    }
}
