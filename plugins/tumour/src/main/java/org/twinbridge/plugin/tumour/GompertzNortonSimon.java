package org.twinbridge.plugin.tumour;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Gompertz tumour growth with a Norton-Simon chemotherapy term, for the sum of target-lesion diameters
 * {@code S} (mm):
 * <pre>
 *   dS/dt = alpha * S * ln(K / S) * (1 - beta * E(t))
 * </pre>
 * {@code alpha} (per day) sets the growth rate, {@code K} (mm) the size growth levels off at, {@code E(t)} the
 * drug effect ({@link Exposure}) and {@code beta} the patient's sensitivity to it. The kill term is the growth
 * rate scaled by the drug effect: Norton and Simon's hypothesis that therapy kills in proportion to the rate an
 * untreated tumour of that size would grow, so that smaller tumours, which grow faster per cell, also regress
 * faster.
 *
 * <p>Gompertz growth is scale-free in the logarithm ({@code ln(K/S)} is unchanged by a change of unit), so the
 * same equation holds for a diameter and, with the same {@code alpha}, for a volume proportional to its cube.
 * Solved with {@link Rk4}, piecewise between doses. Immutable.
 *
 * @param alpha       growth rate, per day, positive
 * @param capacity    K, mm, positive
 * @param sensitivity beta, not negative
 */
record GompertzNortonSimon(double alpha, double capacity, double sensitivity) {

    /** Sizes are kept above this (mm): far below anything imaging sees, and clear of ln(0). */
    static final double FLOOR_MM = 1e-6;
    /** Longest RK4 step, days. */
    static final double MAX_STEP_DAYS = 0.25;
    /**
     * Steps are also kept below this fraction of the local time constant, so that a strong dose (a fast
     * regression) is integrated as accurately as slow growth.
     */
    static final double STEP_PER_TIME_CONSTANT = 0.05;

    GompertzNortonSimon {
        if (!(alpha > 0) || !(capacity > 0) || !(sensitivity >= 0) || !Double.isFinite(alpha)
                || !Double.isFinite(capacity) || !Double.isFinite(sensitivity)) {
            throw new IllegalArgumentException("alpha and capacity must be positive and sensitivity not negative: "
                    + alpha + ", " + capacity + ", " + sensitivity);
        }
    }

    /** {@code dS/dt} at day {@code t} and size {@code size}, for a given drug effect {@code E(t)}. */
    double rate(double size, double effect) {
        double s = Math.max(size, FLOOR_MM);
        return alpha * s * Math.log(capacity / s) * (1 - sensitivity * effect);
    }

    /**
     * The step for a piece starting at size {@code size} with drug effect {@code effect} (which only decays within
     * a piece): the local rate |df/dS| is about alpha (|ln(K/S)| + 1) (1 + beta E); ln(K/S) is doubled for the
     * shrinking the piece may bring.
     */
    double step(double size, double effect) {
        double s = Math.max(size, FLOOR_MM);
        double rate = alpha * (2 * Math.abs(Math.log(capacity / s)) + 1) * (1 + sensitivity * effect);
        return Math.min(MAX_STEP_DAYS, STEP_PER_TIME_CONSTANT / rate);
    }

    /**
     * Sizes at each of {@code days} (ascending, none before {@code startDay}), from {@code startSize} at
     * {@code startDay}.
     */
    List<Double> simulate(double startSize, double startDay, List<Double> days, Exposure exposure) {
        if (!(startSize > 0)) {
            throw new IllegalArgumentException("a start size must be positive, was " + startSize);
        }
        TreeSet<Double> breaks = new TreeSet<>(days);
        if (!days.isEmpty()) {
            breaks.addAll(exposure.jumpsBetween(startDay, days.get(days.size() - 1)));
        }
        List<Double> sizes = new ArrayList<>(days.size());
        double t = startDay;
        double s = startSize;
        int next = 0;
        for (double stop : breaks) {
            if (stop < startDay) {
                throw new IllegalArgumentException("day " + stop + " is before the start day " + startDay);
            }
            // Within a piece the effect is smooth; at its end, a dose given then has not acted yet.
            double end = stop;
            s = Math.max(FLOOR_MM, Rk4.integrate((time, size) -> rate(size,
                    time < end ? exposure.at(time) : exposure.justBefore(end)), t, s, stop, step(s, exposure.at(t))));
            t = stop;
            while (next < days.size() && days.get(next) == stop) {
                sizes.add(s);
                next++;
            }
        }
        return sizes;
    }
}
