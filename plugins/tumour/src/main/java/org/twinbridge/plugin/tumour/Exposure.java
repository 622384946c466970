package org.twinbridge.plugin.tumour;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The combined drug effect {@code E(t)} of a set of doses: each dose adds
 * {@code potency x relativeDose x exp(-k (t - t_dose))} from its time on, with {@code k} the drug's decay rate.
 * Time is in days from the twin's reference instant. Immutable.
 */
final class Exposure {

    /** After this many half-lives a dose's effect (under 10^-12 of it, also of its integral) is left out. */
    static final double HALF_LIVES_KEPT = 40;

    static final Exposure NONE = new Exposure(List.of());

    private final List<Dose> doses;
    private final double longestHalfLife;

    /**
     * One dose.
     *
     * @param day          when, in days from the reference instant
     * @param drug         which drug
     * @param relativeDose the dose divided by the drug's reference dose
     */
    record Dose(double day, Drug drug, double relativeDose) {

        Dose {
            if (!Double.isFinite(day) || drug == null || !(relativeDose >= 0) || !Double.isFinite(relativeDose)) {
                throw new IllegalArgumentException("a dose has a finite day, a drug and a relative dose >= 0");
            }
        }
    }

    Exposure(List<Dose> doses) {
        List<Dose> sorted = new ArrayList<>(doses);
        sorted.sort(Comparator.comparingDouble(Dose::day));
        this.doses = List.copyOf(sorted);
        this.longestHalfLife = sorted.stream().mapToDouble(d -> d.drug().effectHalfLifeDays()).max().orElse(0);
    }

    List<Dose> doses() {
        return doses;
    }

    /** This exposure and another's doses together. */
    Exposure plus(List<Dose> more) {
        List<Dose> all = new ArrayList<>(doses);
        all.addAll(more);
        return new Exposure(all);
    }

    /** {@code E(t)}; a dose given exactly at {@code day} counts. */
    double at(double day) {
        return sum(day, true);
    }

    /** The limit of {@code E} from the left at {@code day}: a dose given exactly then does not count yet. */
    double justBefore(double day) {
        return sum(day, false);
    }

    private double sum(double day, boolean includeDay) {
        double total = 0;
        double oldest = day - HALF_LIVES_KEPT * longestHalfLife;
        for (int i = lastAtOrBefore(day); i >= 0 && doses.get(i).day() >= oldest; i--) {
            Dose dose = doses.get(i);
            if (!includeDay && dose.day() == day) {
                continue;
            }
            total += dose.drug().potency() * dose.relativeDose()
                    * Math.exp(-dose.drug().decayPerDay() * (day - dose.day()));
        }
        return total;
    }

    /** The days of the doses strictly between the two days, in order: where {@code E} jumps. */
    List<Double> jumpsBetween(double from, double to) {
        List<Double> days = new ArrayList<>();
        for (Dose dose : doses) {
            if (dose.day() > from && dose.day() < to && (days.isEmpty() || days.get(days.size() - 1) != dose.day())) {
                days.add(dose.day());
            }
        }
        return days;
    }

    private int lastAtOrBefore(double day) {
        int low = 0;
        int high = doses.size() - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (doses.get(mid).day() <= day) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }
}
