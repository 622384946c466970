package org.twinbridge.plugin.tumour;

/**
 * The classical fourth-order Runge-Kutta method for a scalar ODE {@code y' = f(t, y)}, with equal steps no
 * longer than a given maximum. Global error is of order {@code h^4} where {@code f} is smooth; callers split
 * the interval at any discontinuity of {@code f} (a dose) so that each call integrates a smooth piece.
 */
final class Rk4 {

    /** The right-hand side {@code f(t, y)}. */
    @FunctionalInterface
    interface Derivative {
        double at(double t, double y);
    }

    private Rk4() {
    }

    /** {@code y(t1)} from {@code y(t0) = y0}; {@code t1} may equal {@code t0}. */
    static double integrate(Derivative f, double t0, double y0, double t1, double maxStep) {
        if (!(maxStep > 0) || t1 < t0) {
            throw new IllegalArgumentException("integrate forward with a positive step: t0=" + t0 + ", t1=" + t1
                    + ", maxStep=" + maxStep);
        }
        int steps = (int) Math.ceil((t1 - t0) / maxStep);
        if (steps == 0) {
            return y0;
        }
        double h = (t1 - t0) / steps;
        double y = y0;
        for (int i = 0; i < steps; i++) {
            double t = t0 + i * h;
            double k1 = f.at(t, y);
            double k2 = f.at(t + h / 2, y + h / 2 * k1);
            double k3 = f.at(t + h / 2, y + h / 2 * k2);
            double k4 = f.at(t + h, y + h * k3);
            y += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        return y;
    }
}
