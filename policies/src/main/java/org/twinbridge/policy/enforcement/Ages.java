package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Quantity;
import org.twinbridge.policy.model.CodeSystems;

/**
 * Finds age-like values by their type, wherever they are, and caps them (HIPAA Safe Harbor: "all ages over 89
 * and all elements of dates, including year, indicative of such age"). What counts as age-like is listed on
 * {@link Obligation.CapAges}. Works in place on a view, never on a source.
 */
final class Ages {

    /** LOINC codes whose value is a person's age. */
    static final Set<String> AGE_CODES = Set.of("30525-0", "21612-7", "29553-5", "21611-9", "63900-5", "39016-1");
    /** LOINC codes whose value is a birth date. */
    static final Set<String> BIRTH_DATE_CODES = Set.of("21112-8");

    private static final BigDecimal DAYS_PER_YEAR = new BigDecimal("365.25");
    /** Time units, UCUM codes and the words senders use, to the number of that unit in a year. */
    private static final Map<String, BigDecimal> PER_YEAR = Map.ofEntries(
            Map.entry("a", BigDecimal.ONE), Map.entry("a_j", BigDecimal.ONE), Map.entry("a_g", BigDecimal.ONE),
            Map.entry("y", BigDecimal.ONE), Map.entry("yr", BigDecimal.ONE), Map.entry("yrs", BigDecimal.ONE),
            Map.entry("year", BigDecimal.ONE), Map.entry("years", BigDecimal.ONE),
            Map.entry("mo", BigDecimal.valueOf(12)), Map.entry("mo_j", BigDecimal.valueOf(12)),
            Map.entry("mo_g", BigDecimal.valueOf(12)), Map.entry("mo_s", BigDecimal.valueOf(12)),
            Map.entry("month", BigDecimal.valueOf(12)), Map.entry("months", BigDecimal.valueOf(12)),
            Map.entry("wk", DAYS_PER_YEAR.divide(BigDecimal.valueOf(7), MathContext.DECIMAL64)),
            Map.entry("week", DAYS_PER_YEAR.divide(BigDecimal.valueOf(7), MathContext.DECIMAL64)),
            Map.entry("weeks", DAYS_PER_YEAR.divide(BigDecimal.valueOf(7), MathContext.DECIMAL64)),
            Map.entry("d", DAYS_PER_YEAR), Map.entry("day", DAYS_PER_YEAR), Map.entry("days", DAYS_PER_YEAR));

    /** Time units written in words, and UCUM's own time codes, to their UCUM code. */
    private static final Map<String, String> UCUM_TIME = Map.ofEntries(
            Map.entry("a", "a"), Map.entry("y", "a"), Map.entry("yr", "a"), Map.entry("yrs", "a"),
            Map.entry("year", "a"), Map.entry("years", "a"), Map.entry("mo", "mo"), Map.entry("month", "mo"),
            Map.entry("months", "mo"), Map.entry("wk", "wk"), Map.entry("week", "wk"), Map.entry("weeks", "wk"),
            Map.entry("d", "d"), Map.entry("day", "d"), Map.entry("days", "d"));

    private Ages() {
    }

    /** Caps every age-like value in {@code view} above {@code maxAge} years. */
    static void capAll(Base view, int maxAge, LocalDate today) {
        ElementPaths.visit(view, (parent, name, value) -> {
            if (value instanceof BaseDateTimeType date && (name.equals("birthDate") || codedAs(parent, name,
                    BIRTH_DATE_CODES))) {
                Generaliser.capBirthDate(date, maxAge, today);
            } else if (value instanceof Quantity quantity) {
                BigDecimal years = years(quantity, codedAs(parent, name, AGE_CODES));
                if (years != null && years.compareTo(BigDecimal.valueOf(maxAge)) > 0) {
                    cap(quantity, maxAge);
                }
            } else if (value instanceof IntegerType integer && integer.hasValue()
                    && codedAs(parent, name, AGE_CODES) && integer.getValue() > maxAge) {
                integer.setValue(maxAge + 1);
            }
        });
    }

    /**
     * The quantity in years if it is age-like: an {@code Age}, a time unit from days to years, or (when
     * {@code isAge}) any quantity without a unit, read as years. Null when it is not age-like or has no value.
     */
    static BigDecimal years(Quantity quantity, boolean isAge) {
        if (!quantity.hasValue()) {
            return null;
        }
        String unit = unitOf(quantity);
        BigDecimal perYear = unit == null ? null : PER_YEAR.get(unit);
        if (perYear == null) {
            return unit == null && (isAge || quantity instanceof Age) ? quantity.getValue() : null;
        }
        return quantity.getValue().divide(perYear, MathContext.DECIMAL64);
    }

    /** Sets the quantity to {@code maxAge + 1} years, in UCUM; a comparator no longer applies. */
    static void cap(Quantity quantity, int maxAge) {
        quantity.setValue(maxAge + 1L);
        quantity.setComparator(null);
        quantity.setSystem(CodeSystems.UCUM);
        quantity.setCode("a");
        quantity.setUnit("a");
    }

    /**
     * The unit a view may carry for {@code quantity} without free text: its UCUM code when it is coded in UCUM;
     * for a time unit written in words ({@code years}, {@code months}), the UCUM code of that unit, which the
     * quantity then also takes as its code, so that an age written in words stays recognisable as one; else
     * null.
     */
    static String codedUnit(Quantity quantity) {
        if (isUcum(quantity) && quantity.hasCode()) {
            return quantity.getCode();
        }
        String unit = unitOf(quantity);
        String ucum = unit == null ? null : UCUM_TIME.get(unit);
        if (ucum != null && (!quantity.hasCode() || quantity.getCode().strip().equals(quantity.getUnit().strip()))) {
            quantity.setSystem(CodeSystems.UCUM);
            quantity.setCode(ucum);
            return ucum;
        }
        return null;
    }

    /** Whether the quantity is coded in UCUM, however the system is spelt. */
    static boolean isUcum(Quantity quantity) {
        return CodeSystems.UCUM.equals(CodeSystems.normalise(quantity.getSystem()));
    }

    private static String unitOf(Quantity quantity) {
        String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
        if (unit == null || unit.isBlank()) {
            return null;
        }
        String trimmed = unit.strip();
        // UCUM codes are case-sensitive ("a" is a year, "A" an ampere); the words are not.
        return PER_YEAR.containsKey(trimmed) ? trimmed : trimmed.toLowerCase(Locale.ROOT);
    }

    /** Whether {@code name} is the value of an Observation or component whose code is one of {@code codes}. */
    private static boolean codedAs(Base parent, String name, Set<String> codes) {
        if (parent == null || !name.equals("value[x]")) {
            return false;
        }
        for (Base code : ElementPaths.childValues(parent, "code")) {
            if (code instanceof CodeableConcept concept) {
                for (Coding coding : concept.getCoding()) {
                    if (CodeSystems.LOINC.equals(CodeSystems.normalise(coding.getSystem()))
                            && coding.getCode() != null && codes.contains(coding.getCode().strip())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
