package org.twinbridge.plugin.glucose;

import java.util.Locale;
import java.util.OptionalDouble;
import org.hl7.fhir.r4.model.Quantity;

/**
 * Unit conversions for the quantities the twin reads. Units are taken from the quantity's UCUM code, or its
 * unit text when there is no code; an unknown unit or a value with a comparator ({@code <}, {@code >}) gives
 * an empty result rather than a guess.
 */
final class GlucoseUnits {

    /**
     * mg/dL per mmol/L of glucose: the molar mass of glucose, 180.16 g/mol, is 180.16 mg per mmol, and a
     * litre is ten decilitres.
     */
    static final double MG_PER_DL_PER_MMOL_PER_L = 18.016;

    private GlucoseUnits() {
    }

    /** A glucose concentration in mg/dL, from {@code mg/dL} or {@code mmol/L}. */
    static OptionalDouble glucoseMgPerDl(Quantity quantity) {
        OptionalDouble value = plainValue(quantity);
        if (value.isEmpty()) {
            return value;
        }
        switch (unitOf(quantity)) {
            case "mg/dl":
                return value;
            case "mmol/l":
                return OptionalDouble.of(value.getAsDouble() * MG_PER_DL_PER_MMOL_PER_L);
            default:
                return OptionalDouble.empty();
        }
    }

    /** mmol/L from mg/dL. */
    static double mmolPerL(double mgPerDl) {
        return mgPerDl / MG_PER_DL_PER_MMOL_PER_L;
    }

    /**
     * An HbA1c in NGSP/DCCT percent, from {@code %} or from IFCC {@code mmol/mol} through the IFCC-NGSP master
     * equation, NGSP = 0.09148 x IFCC + 2.152.
     */
    static OptionalDouble hba1cPercent(Quantity quantity) {
        OptionalDouble value = plainValue(quantity);
        if (value.isEmpty()) {
            return value;
        }
        switch (unitOf(quantity)) {
            case "%":
                return value;
            case "mmol/mol":
                return OptionalDouble.of(0.09148 * value.getAsDouble() + 2.152);
            default:
                return OptionalDouble.empty();
        }
    }

    /** A mass in grams, from {@code g}. */
    static OptionalDouble grams(Quantity quantity) {
        OptionalDouble value = plainValue(quantity);
        return value.isPresent() && unitOf(quantity).equals("g") ? value : OptionalDouble.empty();
    }

    /** Insulin in international units, from {@code U}, {@code [iU]}, {@code [IU]} or the text {@code units}. */
    static OptionalDouble insulinUnits(Quantity quantity) {
        OptionalDouble value = plainValue(quantity);
        if (value.isEmpty()) {
            return value;
        }
        switch (unitOf(quantity)) {
            case "u":
            case "[iu]":
            case "iu":
            case "unit":
            case "units":
                return value;
            default:
                return OptionalDouble.empty();
        }
    }

    private static OptionalDouble plainValue(Quantity quantity) {
        if (quantity == null || !quantity.hasValue() || quantity.hasComparator()) {
            return OptionalDouble.empty();
        }
        double value = quantity.getValue().doubleValue();
        return Double.isFinite(value) && value >= 0 ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    private static String unitOf(Quantity quantity) {
        String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
        return unit == null ? "" : unit.strip().toLowerCase(Locale.ROOT);
    }
}
