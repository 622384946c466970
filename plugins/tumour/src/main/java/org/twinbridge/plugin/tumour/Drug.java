package org.twinbridge.plugin.tumour;

import java.util.Locale;
import java.util.Set;

/**
 * A cytotoxic drug as the model sees it: a reference dose, and the pharmacodynamic effect one reference dose
 * has, an effect of {@code potency} at the moment of the dose that decays with {@code effectHalfLifeDays}.
 *
 * @param name               lower-case name, matched against a medication's text or coding display
 * @param referenceDose      the dose with relative dose 1
 * @param unit               the dose unit, for example {@code mg/m2}; administrations in other units are not read
 * @param effectHalfLifeDays how fast the effect decays, in days
 * @param potency            the effect of one reference dose at the moment it is given (dimensionless)
 * @param rxnormCodes        RxNorm ingredient codes that also identify the drug
 */
record Drug(String name, double referenceDose, String unit, double effectHalfLifeDays, double potency,
        Set<String> rxnormCodes) {

    Drug {
        if (name == null || name.isBlank() || !name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("a drug name is non-blank and lower case, was '" + name + "'");
        }
        if (!(referenceDose > 0) || !(effectHalfLifeDays > 0) || !(potency >= 0) || !Double.isFinite(potency)) {
            throw new IllegalArgumentException("drug " + name + ": reference dose and half-life must be positive"
                    + " and potency not negative");
        }
        if (unit == null || unit.isBlank()) {
            throw new IllegalArgumentException("drug " + name + ": a dose unit is required");
        }
        rxnormCodes = Set.copyOf(rxnormCodes);
    }

    /** The decay rate of the effect, per day. */
    double decayPerDay() {
        return Math.log(2) / effectHalfLifeDays;
    }
}
