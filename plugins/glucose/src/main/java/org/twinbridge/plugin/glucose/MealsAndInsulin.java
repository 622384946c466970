package org.twinbridge.plugin.glucose;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A subject's recent carbohydrate and rapid-acting insulin doses: the model's exogenous inputs. Immutable.
 *
 * @param carbs   grams eaten, oldest first
 * @param insulin units given, oldest first
 */
record MealsAndInsulin(List<AbsorptionCurve.Dose> carbs, List<AbsorptionCurve.Dose> insulin) {

    /** How long a dose is kept: both curves have acted more than 99.5% of it by then. */
    static final Duration MEMORY = Duration.ofHours(8);
    /** At most this many doses of each kind are kept, so the state stays bounded whatever arrives. */
    static final int MAX_DOSES = 200;

    static final MealsAndInsulin NONE = new MealsAndInsulin(List.of(), List.of());

    MealsAndInsulin {
        carbs = List.copyOf(carbs);
        insulin = List.copyOf(insulin);
    }

    /** Grams of carbohydrate appearing between the two times. */
    double carbsActing(Instant from, Instant to) {
        return AbsorptionCurve.MIXED_MEAL.actingBetween(carbs, from, to);
    }

    /** Units of insulin acting between the two times. */
    double insulinActing(Instant from, Instant to) {
        return AbsorptionCurve.RAPID_INSULIN.actingBetween(insulin, from, to);
    }

    MealsAndInsulin withCarbs(AbsorptionCurve.Dose dose) {
        return new MealsAndInsulin(added(carbs, dose), insulin);
    }

    MealsAndInsulin withInsulin(AbsorptionCurve.Dose dose) {
        return new MealsAndInsulin(carbs, added(insulin, dose));
    }

    /** Forgets doses given more than {@link #MEMORY} before {@code now}. */
    MealsAndInsulin forgetBefore(Instant now) {
        Instant cutoff = now.minus(MEMORY);
        return new MealsAndInsulin(carbs.stream().filter(d -> d.at().isAfter(cutoff)).toList(),
                insulin.stream().filter(d -> d.at().isAfter(cutoff)).toList());
    }

    boolean isEmpty() {
        return carbs.isEmpty() && insulin.isEmpty();
    }

    private static List<AbsorptionCurve.Dose> added(List<AbsorptionCurve.Dose> doses, AbsorptionCurve.Dose dose) {
        List<AbsorptionCurve.Dose> out = new ArrayList<>(doses);
        int at = out.size();
        while (at > 0 && out.get(at - 1).at().isAfter(dose.at())) {
            at--;
        }
        out.add(at, dose);
        while (out.size() > MAX_DOSES) {
            out.remove(0);
        }
        return out;
    }
}
