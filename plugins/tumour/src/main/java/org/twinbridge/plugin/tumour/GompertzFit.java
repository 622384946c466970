package org.twinbridge.plugin.tumour;

import java.util.List;

/**
 * Fits {@link GompertzNortonSimon} to one patient's serial measurements: a maximum a posteriori estimate of
 * {@code alpha}, {@code K}, the size at the first measurement {@code S0} and the sensitivity {@code beta}, by
 * Levenberg-Marquardt on the logarithms of the parameters.
 *
 * <p><b>Objective.</b> Measurement error is multiplicative, {@code ln y = ln S(t) + e} with {@code e ~ N(0,
 * 0.1^2)} (about 10%, the reader variability of RECIST diameters). Each log-parameter has a normal prior:
 * <ul>
 *   <li>{@code ln alpha ~ N(ln 0.003/day, 1)};</li>
 *   <li>{@code ln K ~ N(ln(4 x largest measurement), 0.7)};</li>
 *   <li>{@code ln S0 ~ N(ln first measurement, 0.5)};</li>
 *   <li>{@code ln beta ~ N(0, 1)}: a median patient responds as the drug catalogue's potencies say.</li>
 * </ul>
 * The priors keep the fit defined with few measurements: with none under treatment, {@code beta} stays at its
 * prior; with two, the data mostly set a net growth rate and the prior the rest. Stateless and thread-safe.
 */
final class GompertzFit {

    static final double MEASUREMENT_SD = 0.1;
    private static final double PRIOR_ALPHA = 0.003;
    private static final double[] PRIOR_SD = {1.0, 0.7, 0.5, 1.0};
    private static final int MAX_ITERATIONS = 200;

    private GompertzFit() {
    }

    /**
     * A measurement.
     *
     * @param day  days from the twin's reference instant
     * @param size sum of diameters, mm, positive
     */
    record Point(double day, double size) {

        Point {
            if (!Double.isFinite(day) || !(size > 0) || !Double.isFinite(size)) {
                throw new IllegalArgumentException("a measurement has a finite day and a positive size");
            }
        }
    }

    /**
     * The fitted model.
     *
     * @param model           the parameters
     * @param firstDay        the day of the first measurement
     * @param startSize       the fitted size at {@code firstDay}
     * @param rmsLogResidual  root mean square of {@code ln y - ln S(t)} over the measurements
     * @param iterations      Levenberg-Marquardt iterations used
     */
    record Result(GompertzNortonSimon model, double firstDay, double startSize, double rmsLogResidual,
            int iterations) {
    }

    /** Fits the model to measurements (ascending by day, at least one) under a drug exposure. */
    static Result fit(List<Point> points, Exposure exposure) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("fitting needs at least one measurement");
        }
        double largest = points.stream().mapToDouble(Point::size).max().orElseThrow();
        double[] prior = {Math.log(PRIOR_ALPHA), Math.log(4 * largest), Math.log(points.get(0).size()), 0};
        Objective objective = new Objective(points, exposure, prior);

        double[] p = prior.clone();
        double[] r = objective.residuals(p);
        double cost = dot(r, r);
        double damping = 1e-3;
        int iteration = 0;
        while (iteration < MAX_ITERATIONS) {
            iteration++;
            double[][] jacobian = objective.jacobian(p);
            double[][] a = new double[4][4];
            double[] g = new double[4];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    for (int k = 0; k < r.length; k++) {
                        a[i][j] += jacobian[k][i] * jacobian[k][j];
                    }
                }
                for (int k = 0; k < r.length; k++) {
                    g[i] += jacobian[k][i] * r[k];
                }
            }
            boolean improved = false;
            double[] step = null;
            double newCost = cost;
            while (damping < 1e12) {
                double[][] damped = new double[4][4];
                for (int i = 0; i < 4; i++) {
                    damped[i] = a[i].clone();
                    damped[i][i] += damping * Math.max(a[i][i], 1e-12);
                }
                step = solve(damped, new double[] {-g[0], -g[1], -g[2], -g[3]});
                double[] candidate = new double[4];
                for (int i = 0; i < 4; i++) {
                    candidate[i] = p[i] + step[i];
                }
                double[] candidateResiduals = objective.residuals(candidate);
                newCost = dot(candidateResiduals, candidateResiduals);
                if (newCost < cost) {
                    p = candidate;
                    r = candidateResiduals;
                    damping = Math.max(damping / 10, 1e-12);
                    improved = true;
                    break;
                }
                damping *= 10;
            }
            if (!improved || cost - newCost < 1e-12 * Math.max(cost, 1) || maxAbs(step) < 1e-10) {
                cost = Math.min(cost, newCost);
                break;
            }
            cost = newCost;
        }
        GompertzNortonSimon model = Objective.model(p);
        double[] fitted = objective.residuals(p);
        double squares = 0;
        for (int i = 0; i < points.size(); i++) {
            squares += Math.pow(fitted[i] * MEASUREMENT_SD, 2);
        }
        return new Result(model, points.get(0).day(), Math.exp(p[2]), Math.sqrt(squares / points.size()),
                iteration);
    }

    /** The residual vector: scaled log errors of the measurements, then the scaled prior deviations. */
    private static final class Objective {

        private final List<Point> points;
        private final List<Double> days;
        private final Exposure exposure;
        private final double[] prior;

        Objective(List<Point> points, Exposure exposure, double[] prior) {
            this.points = points;
            this.days = points.stream().map(Point::day).toList();
            this.exposure = exposure;
            this.prior = prior;
        }

        static GompertzNortonSimon model(double[] p) {
            // Clamped so that a wild trial step cannot overflow; the bounds are far outside any plausible fit.
            return new GompertzNortonSimon(Math.exp(clamp(p[0], -20, 2)), Math.exp(clamp(p[1], -10, 12)),
                    Math.exp(clamp(p[3], -20, 8)));
        }

        double[] residuals(double[] p) {
            double[] r = new double[points.size() + 4];
            List<Double> sizes = model(p).simulate(Math.exp(clamp(p[2], -10, 12)), points.get(0).day(), days,
                    exposure);
            for (int i = 0; i < points.size(); i++) {
                r[i] = (Math.log(points.get(i).size()) - Math.log(sizes.get(i))) / MEASUREMENT_SD;
            }
            for (int i = 0; i < 4; i++) {
                r[points.size() + i] = (p[i] - prior[i]) / PRIOR_SD[i];
            }
            return r;
        }

        double[][] jacobian(double[] p) {
            int m = points.size() + 4;
            double[][] jacobian = new double[m][4];
            for (int j = 0; j < 4; j++) {
                double h = 1e-5;
                double[] up = p.clone();
                double[] down = p.clone();
                up[j] += h;
                down[j] -= h;
                double[] rUp = residuals(up);
                double[] rDown = residuals(down);
                for (int i = 0; i < m; i++) {
                    jacobian[i][j] = (rUp[i] - rDown[i]) / (2 * h);
                }
            }
            return jacobian;
        }
    }

    /** Gaussian elimination with partial pivoting; {@code a} is small and, damped, well conditioned. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        double[] x = b.clone();
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) {
                    pivot = row;
                }
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            double t = x[col];
            x[col] = x[pivot];
            x[pivot] = t;
            for (int row = col + 1; row < n; row++) {
                double factor = m[row][col] / m[col][col];
                for (int k = col; k < n; k++) {
                    m[row][k] -= factor * m[col][k];
                }
                x[row] -= factor * x[col];
            }
        }
        for (int row = n - 1; row >= 0; row--) {
            for (int k = row + 1; k < n; k++) {
                x[row] -= m[row][k] * x[k];
            }
            x[row] /= m[row][row];
        }
        return x;
    }

    private static double clamp(double v, double low, double high) {
        return Math.max(low, Math.min(high, v));
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double x : v == null ? new double[0] : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
