package org.twinbridge.plugin.ward;

/** Distributions of counts, as probability arrays indexed by count. */
final class Counts {

    private static final double TAIL = 1e-9;

    private Counts() {
    }

    /** The number of successes among independent trials with these probabilities. */
    static double[] poissonBinomial(double[] p) {
        double[] pmf = {1};
        for (double q : p) {
            double[] next = new double[pmf.length + 1];
            for (int k = 0; k < pmf.length; k++) {
                next[k] += pmf[k] * (1 - q);
                next[k + 1] += pmf[k] * q;
            }
            pmf = next;
        }
        return pmf;
    }

    /** Poisson with this mean, truncated where the remaining tail is negligible. */
    static double[] poisson(double mean) {
        if (mean <= 0) {
            return new double[] {1};
        }
        int max = (int) Math.ceil(mean + 12 * Math.sqrt(mean) + 12);
        double[] pmf = new double[max + 1];
        double term = Math.exp(-mean);
        double total = 0;
        for (int k = 0; k <= max; k++) {
            pmf[k] = term;
            total += term;
            term *= mean / (k + 1);
            if (total > 1 - TAIL && k > mean) {
                return java.util.Arrays.copyOf(pmf, k + 1);
            }
        }
        return pmf;
    }

    static double[] convolve(double[] a, double[] b) {
        double[] out = new double[a.length + b.length - 1];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                out[i + j] += a[i] * b[j];
            }
        }
        return out;
    }

    /** The smallest count whose cumulative probability reaches {@code q}. */
    static int quantile(double[] pmf, double q) {
        double cumulative = 0;
        for (int k = 0; k < pmf.length; k++) {
            cumulative += pmf[k];
            if (cumulative >= q - 1e-12) {
                return k;
            }
        }
        return pmf.length - 1;
    }
}
