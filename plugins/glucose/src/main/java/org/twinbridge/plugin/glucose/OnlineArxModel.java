package org.twinbridge.plugin.glucose;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A per-patient glucose forecast model, fitted online: an ARX(2) model of the 5-minute changes in CGM
 * glucose, with insulin and carbohydrate as exogenous inputs and a pull back towards the patient's usual
 * glucose, estimated by recursive least squares with exponential forgetting.
 *
 * <p><b>Model.</b> On a 5-minute grid, with {@code d(t) = g(t) - g(t-1)} the change in glucose and {@code r}
 * the patient's reference level (the mean of their CGM readings over the metrics window),
 * <pre>
 *   d(t) = a1 d(t-1) + a2 d(t-2) + b_ins I(t) + b_carb C(t) + c (g(t-1) - r) + e(t),    e(t) ~ N(0, s^2)
 * </pre>
 * where {@code I(t)} and {@code C(t)} are the units of insulin and grams of carbohydrate acting in the step
 * ({@link MealsAndInsulin}). The first two terms are a trend that persists and decays; the last is the
 * homeostatic return towards the usual level (the "glucose effectiveness" of the minimal model: glucose far from
 * its baseline moves back towards it), with {@code c <= 0}. All are learned from the patient's own data. Without
 * a reference level the last regressor is zero and the model is the ARIMAX(2,1,0) it was before.
 *
 * <p><b>Estimation.</b> Recursive least squares with forgetting factor {@value #FORGETTING} (a memory of
 * about 500 readings, some 42 hours), starting from population priors: no trend ({@code a1 = a2 = 0}, which
 * is the persistence forecast) and a sensitivity of {@value #PRIOR_INSULIN} mg/dL per unit of insulin and
 * {@value #PRIOR_CARBS} mg/dL per gram of carbohydrate, and no return ({@code c = 0}, prior variance
 * {@value #PRIOR_RETURN_VARIANCE}, so it is learned slowly from many hours of data). Directions the data does
 * not excite (no insulin or meals recorded) would otherwise have their covariance grow without bound under
 * forgetting ("wind-up"), so each parameter's variance is capped at its prior variance. The one-step noise
 * variance {@code s^2} is an exponentially weighted mean of the squared one-step prediction errors.
 *
 * <p><b>Time.</b> Readings are placed on a 5-minute grid from the previous reading. A gap of up to
 * {@value #MAX_FILLED_STEPS} steps (30 minutes) is filled by linear interpolation and does not update the
 * parameters; a longer gap restarts the recent history but keeps what was learned.
 *
 * <p>Mutable and not thread-safe: make one per delivery from a {@link Snapshot}.
 */
final class OnlineArxModel {

    static final Duration STEP = Duration.ofMinutes(5);
    static final int MAX_FILLED_STEPS = 6;
    static final double FORGETTING = 0.998;
    /** Updates needed before the model's forecasts are used: an hour of consecutive readings. */
    static final int MIN_UPDATES = 12;
    static final double PRIOR_INSULIN = -40.0;
    static final double PRIOR_CARBS = 4.0;
    /**
     * Prior variance of the return rate {@code c} (per step). Chosen on the first half of the Dexcom validation
     * series only, from 1e-6 ... 1e-2; its second half is held out (see the README).
     */
    static final double PRIOR_RETURN_VARIANCE = 1e-4;
    static final int PARAMETERS = 5;

    private static final double[] PRIOR_THETA = {0, 0, PRIOR_INSULIN, PRIOR_CARBS, 0};
    private static final double[] PRIOR_VARIANCE = {1, 1, 400, 4, PRIOR_RETURN_VARIANCE};
    private static final double INITIAL_NOISE_VARIANCE = 4.0;
    /** Levels kept: three for the two lagged changes of a forecast, one more for the change being learned. */
    private static final int LEVELS = 4;

    private final double[] theta;
    private final double[][] covariance;
    private double noiseVariance;
    private long updates;
    private final List<Double> levels;
    private Instant lastTime;

    private OnlineArxModel(Snapshot snapshot) {
        theta = snapshot.theta().stream().mapToDouble(Double::doubleValue).toArray();
        covariance = new double[PARAMETERS][PARAMETERS];
        for (int i = 0; i < PARAMETERS; i++) {
            for (int j = 0; j < PARAMETERS; j++) {
                covariance[i][j] = snapshot.covariance().get(i * PARAMETERS + j);
            }
        }
        noiseVariance = snapshot.noiseVariance();
        updates = snapshot.updates();
        levels = new ArrayList<>(snapshot.levels());
        lastTime = snapshot.lastTime().orElse(null);
    }

    /** A model that has seen nothing: population priors. */
    static OnlineArxModel fresh() {
        return new OnlineArxModel(Snapshot.PRIOR);
    }

    static OnlineArxModel of(Snapshot snapshot) {
        return new OnlineArxModel(snapshot);
    }

    /** What happened to a reading. */
    enum Step {
        /** The first reading, or the first after a long gap: recent history starts again. */
        RESTARTED,
        /** The next grid step: the parameters learned from it. */
        LEARNED,
        /** The next grid step, but too little history to learn from yet. */
        RECORDED,
        /** A short gap was filled by interpolation; nothing learned from it. */
        FILLED_GAP,
        /** Not after the previous reading by at least half a step: ignored. */
        IGNORED
    }

    /** Adds a reading (mg/dL) taken at {@code at}, with no reference level (the return term learns nothing). */
    Step observe(Instant at, double mgPerDl, MealsAndInsulin inputs) {
        return observe(at, mgPerDl, inputs, OptionalDouble.empty());
    }

    /**
     * Adds a reading (mg/dL) taken at {@code at}; {@code reference} is the patient's usual level (mg/dL), if
     * known.
     */
    Step observe(Instant at, double mgPerDl, MealsAndInsulin inputs, OptionalDouble reference) {
        if (lastTime == null) {
            restart(at, mgPerDl);
            return Step.RESTARTED;
        }
        long steps = Math.round(Duration.between(lastTime, at).toMillis() / (double) STEP.toMillis());
        if (steps <= 0) {
            return Step.IGNORED;
        }
        if (steps > MAX_FILLED_STEPS) {
            restart(at, mgPerDl);
            return Step.RESTARTED;
        }
        double previous = levels.get(levels.size() - 1);
        for (int k = 1; k < steps; k++) {
            push(previous + (mgPerDl - previous) * k / steps);
        }
        push(mgPerDl);
        Instant stepStart = lastTime.plus(STEP.multipliedBy(steps - 1));
        lastTime = at;
        if (steps > 1) {
            return Step.FILLED_GAP;
        }
        if (levels.size() < LEVELS) {
            return Step.RECORDED;
        }
        double previousLevel = levels.get(levels.size() - 2);
        learn(new double[] {change(1), change(2), inputs.insulinActing(stepStart, at),
                inputs.carbsActing(stepStart, at), reference.isPresent() ? previousLevel - reference.getAsDouble() : 0},
                change(0));
        return Step.LEARNED;
    }

    /** True once the model has learned from {@link #MIN_UPDATES} steps and has history to forecast from. */
    boolean ready() {
        return updates >= MIN_UPDATES && levels.size() >= LEVELS - 1;
    }

    /** {@link #forecast(int, MealsAndInsulin, OptionalDouble)} without a reference level: no return term. */
    Optional<Forecast> forecast(int steps, MealsAndInsulin inputs) {
        return forecast(steps, inputs, OptionalDouble.empty());
    }

    /**
     * Forecasts {@code steps} grid steps ahead of the last reading, or nothing if the model is not
     * {@link #ready()}. If the learned trend is not stationary (its forecasts would run away), the forecast is
     * persistence and says so. The return towards {@code reference} is used only when the learned rate is a
     * return ({@code c < 0}) and the whole model is stable with it ({@link #stable(double, double, double)});
     * otherwise the forecast is the trend alone.
     */
    Optional<Forecast> forecast(int steps, MealsAndInsulin inputs, OptionalDouble reference) {
        if (!ready() || steps < 1) {
            return Optional.empty();
        }
        boolean stationary = stationary(theta[0], theta[1]);
        double a1 = stationary ? theta[0] : 0;
        double a2 = stationary ? theta[1] : 0;
        boolean returns = stationary && reference.isPresent() && stable(a1, a2, theta[4]);
        double c = returns ? theta[4] : 0;
        double usual = returns ? reference.getAsDouble() : 0;
        double level = levels.get(levels.size() - 1);
        double lag1 = change(0);
        double lag2 = change(1);
        double[] path = new double[steps];
        double[] sd = new double[steps];
        // Moving-average weights of the level: g(t) = (1 + a1 + c) g(t-1) + (a2 - a1) g(t-2) - a2 g(t-3) + ...
        double[] psi = new double[steps];
        double cumulativeVariance = 0;
        Instant from = lastTime;
        for (int s = 0; s < steps; s++) {
            Instant to = from.plus(STEP);
            double next = a1 * lag1 + a2 * lag2 + theta[2] * inputs.insulinActing(from, to)
                    + theta[3] * inputs.carbsActing(from, to) + c * (level - usual);
            level += next;
            lag2 = lag1;
            lag1 = next;
            path[s] = clamp(level);
            // Error of the level s+1 steps ahead: s^2 * sum over m <= s of psi_m^2. Without the return term
            // this is the cumulative sum of the AR(2) weights of the changes.
            psi[s] = s == 0 ? 1
                    : (1 + a1 + c) * psi[s - 1] + (s >= 2 ? (a2 - a1) * psi[s - 2] : 0)
                            - (s >= 3 ? a2 * psi[s - 3] : 0);
            cumulativeVariance += psi[s] * psi[s];
            sd[s] = Math.sqrt(noiseVariance * cumulativeVariance);
            from = to;
        }
        return Optional.of(new Forecast(lastTime, toList(path), toList(sd), !stationary));
    }

    /** The last reading's time, if any. */
    Optional<Instant> lastTime() {
        return Optional.ofNullable(lastTime);
    }

    Snapshot snapshot() {
        List<Double> flat = new ArrayList<>(PARAMETERS * PARAMETERS);
        for (double[] row : covariance) {
            for (double v : row) {
                flat.add(v);
            }
        }
        return new Snapshot(toList(theta), flat, noiseVariance, updates, levels, Optional.ofNullable(lastTime));
    }

    private void restart(Instant at, double mgPerDl) {
        levels.clear();
        levels.add(mgPerDl);
        lastTime = at;
    }

    private void push(double level) {
        levels.add(level);
        while (levels.size() > LEVELS) {
            levels.remove(0);
        }
    }

    /** The change {@code back} steps before the latest one (0: the latest change). */
    private double change(int back) {
        int last = levels.size() - 1 - back;
        return levels.get(last) - levels.get(last - 1);
    }

    private void learn(double[] x, double y) {
        double[] px = multiply(covariance, x);
        double denominator = FORGETTING + dot(x, px);
        double error = y - dot(theta, x);
        for (int i = 0; i < PARAMETERS; i++) {
            theta[i] += px[i] / denominator * error;
        }
        for (int i = 0; i < PARAMETERS; i++) {
            for (int j = 0; j < PARAMETERS; j++) {
                covariance[i][j] = (covariance[i][j] - px[i] * px[j] / denominator) / FORGETTING;
            }
        }
        for (int i = 0; i < PARAMETERS; i++) {
            for (int j = i + 1; j < PARAMETERS; j++) {
                double mean = (covariance[i][j] + covariance[j][i]) / 2;
                covariance[i][j] = mean;
                covariance[j][i] = mean;
            }
        }
        // Anti-wind-up: D P D with D diagonal and positive keeps P symmetric positive definite.
        for (int i = 0; i < PARAMETERS; i++) {
            if (covariance[i][i] > PRIOR_VARIANCE[i]) {
                double scale = Math.sqrt(PRIOR_VARIANCE[i] / covariance[i][i]);
                for (int j = 0; j < PARAMETERS; j++) {
                    covariance[i][j] *= scale;
                    covariance[j][i] *= scale;
                }
            }
        }
        noiseVariance = FORGETTING * noiseVariance + (1 - FORGETTING) * error * error;
        updates++;
    }

    /** The AR(2) stationarity triangle: both roots of z^2 - a1 z - a2 inside the unit circle. */
    static boolean stationary(double a1, double a2) {
        return Math.abs(a2) < 1 && a1 + a2 < 1 && a2 - a1 < 1;
    }

    /**
     * True if the level recursion with a return, {@code z^3 - (1 + a1 + c) z^2 - (a2 - a1) z + a2}, has all its
     * roots inside the unit circle (Jury's test for a cubic). This needs {@code c < 0}: a positive rate would push
     * glucose away from its usual level, which no physiology does, and {@code c = 0} leaves the unit root of the
     * trend-only model.
     */
    static boolean stable(double a1, double a2, double c) {
        double b1 = -(1 + a1 + c);
        double b2 = a1 - a2;
        double b3 = a2;
        return 1 + b1 + b2 + b3 > 0
                && 1 - b1 + b2 - b3 > 0
                && Math.abs(b3) < 1
                && Math.abs(b3 * b3 - 1) > Math.abs(b3 * b1 - b2);
    }

    /** Forecasts are kept within what a glucose can be, 10 to 600 mg/dL. */
    private static double clamp(double mgPerDl) {
        return Math.max(10, Math.min(600, mgPerDl));
    }

    private static double[] multiply(double[][] m, double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = dot(m[i], x);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static List<Double> toList(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** The learned parameters {@code a1, a2, b_ins, b_carb, c}. */
    List<Double> parameters() {
        return toList(theta);
    }

    /**
     * A forecast made at the last reading.
     *
     * @param from        the time of the reading it starts from
     * @param path        glucose (mg/dL) 1, 2, ... steps of {@link #STEP} after {@code from}
     * @param sd          the standard deviation of each step's forecast error (mg/dL), from the model
     * @param persistence true if the learned trend was not stationary and the forecast fell back to persistence
     */
    record Forecast(Instant from, List<Double> path, List<Double> sd, boolean persistence) {

        Forecast {
            path = List.copyOf(path);
            sd = List.copyOf(sd);
        }

        /** The forecast {@code minutes} ahead; {@code minutes} must be a whole number of steps in the path. */
        double at(int minutes) {
            return path.get(index(minutes));
        }

        double sdAt(int minutes) {
            return sd.get(index(minutes));
        }

        /** The lowest forecast up to and including {@code minutes} ahead. */
        double lowestWithin(int minutes) {
            return path.subList(0, index(minutes) + 1).stream().mapToDouble(Double::doubleValue).min()
                    .orElseThrow();
        }

        /** Minutes ahead of the first step whose forecast is below {@code mgPerDl}, if any within the path. */
        Optional<Integer> firstBelow(double mgPerDl, int withinMinutes) {
            for (int i = 0; i <= index(withinMinutes); i++) {
                if (path.get(i) < mgPerDl) {
                    return Optional.of((int) STEP.toMinutes() * (i + 1));
                }
            }
            return Optional.empty();
        }

        private int index(int minutes) {
            long step = STEP.toMinutes();
            if (minutes < step || minutes % step != 0 || minutes / step > path.size()) {
                throw new IllegalArgumentException("the forecast has steps of " + step + " minutes up to "
                        + step * path.size() + "; " + minutes + " minutes is not one of them");
            }
            return (int) (minutes / step) - 1;
        }
    }

    /**
     * Everything the model knows, for the state store.
     *
     * @param theta         the parameters {@code a1, a2, b_ins, b_carb, c}
     * @param covariance    their covariance, row by row
     * @param noiseVariance the one-step noise variance, (mg/dL)^2
     * @param updates       how many steps it has learned from
     * @param levels        the latest grid levels (mg/dL), oldest first, at most four
     * @param lastTime      the time of the last reading
     */
    record Snapshot(List<Double> theta, List<Double> covariance, double noiseVariance, long updates,
            List<Double> levels, Optional<Instant> lastTime) {

        static final Snapshot PRIOR = prior();

        Snapshot {
            theta = List.copyOf(theta);
            covariance = List.copyOf(covariance);
            levels = List.copyOf(levels);
            if (theta.size() != PARAMETERS || covariance.size() != PARAMETERS * PARAMETERS
                    || levels.size() > LEVELS || updates < 0 || !(noiseVariance > 0)
                    || (levels.isEmpty() != lastTime.isEmpty())) {
                throw new IllegalArgumentException("not a snapshot of an ARX(2) model with two inputs and a return");
            }
            if (theta.stream().anyMatch(v -> !Double.isFinite(v))
                    || covariance.stream().anyMatch(v -> !Double.isFinite(v))
                    || levels.stream().anyMatch(v -> !Double.isFinite(v))) {
                throw new IllegalArgumentException("a model snapshot holds only finite numbers");
            }
        }

        private static Snapshot prior() {
            List<Double> covariance = new ArrayList<>();
            for (int i = 0; i < PARAMETERS; i++) {
                for (int j = 0; j < PARAMETERS; j++) {
                    covariance.add(i == j ? PRIOR_VARIANCE[i] : 0.0);
                }
            }
            return new Snapshot(toList(PRIOR_THETA), covariance, INITIAL_NOISE_VARIANCE, 0, List.of(),
                    Optional.empty());
        }
    }
}
