package org.twinbridge.plugin.glucose;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How a dose (of insulin, or of carbohydrate) acts over time: a gamma curve of shape 2, whose activity
 * {@code a(t) = t / tau^2 * exp(-t / tau)} peaks at {@code tau} and integrates to one. Its cumulative form
 * {@code F(t) = 1 - (1 + t / tau) exp(-t / tau)} gives the fraction of a dose that acts in any interval
 * exactly, without numerical integration. Immutable.
 *
 * @param peak the time from dose to peak action
 */
record AbsorptionCurve(Duration peak) {

    /** Rapid-acting insulin analogues: peak action about an hour after a subcutaneous bolus. */
    static final AbsorptionCurve RAPID_INSULIN = new AbsorptionCurve(Duration.ofMinutes(60));
    /** A mixed meal: glucose appearance peaks about 35 minutes after eating. */
    static final AbsorptionCurve MIXED_MEAL = new AbsorptionCurve(Duration.ofMinutes(35));

    AbsorptionCurve {
        if (peak == null || peak.isNegative() || peak.isZero()) {
            throw new IllegalArgumentException("peak must be a positive duration, was " + peak);
        }
    }

    /** The fraction of a dose that has acted {@code elapsed} after it; 0 before the dose. */
    double cumulative(Duration elapsed) {
        if (elapsed.isNegative() || elapsed.isZero()) {
            return 0;
        }
        double x = elapsed.toMillis() / (double) peak.toMillis();
        return 1 - (1 + x) * Math.exp(-x);
    }

    /** The fraction of a dose given at {@code dose} that acts between {@code from} and {@code to}. */
    double fractionBetween(Instant dose, Instant from, Instant to) {
        return cumulative(Duration.between(dose, to)) - cumulative(Duration.between(dose, from));
    }

    /** The total amount of these doses that acts between {@code from} and {@code to}. */
    double actingBetween(List<Dose> doses, Instant from, Instant to) {
        double total = 0;
        for (Dose dose : doses) {
            total += dose.amount() * fractionBetween(dose.at(), from, to);
        }
        return total;
    }

    /**
     * An amount given at a time: grams of carbohydrate or units of insulin.
     *
     * @param at     when it was given or eaten
     * @param amount how much, not negative
     */
    record Dose(Instant at, double amount) {

        Dose {
            if (at == null) {
                throw new IllegalArgumentException("at must be given");
            }
            if (!Double.isFinite(amount) || amount < 0) {
                throw new IllegalArgumentException("amount must be finite and not negative, was " + amount);
            }
        }
    }
}
