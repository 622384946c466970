package org.twinbridge.policy.enforcement;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.Period;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.twinbridge.policy.enforcement.Obligation.Generalise;

/**
 * Coarsens the values at a path, and below it, with one {@link Generalise.Method}:
 * <ul>
 *   <li>{@code ToYear}: a date or dateTime keeps only its year. An instant cannot hold a year, so it is removed.
 *   <li>{@code Prefix(n)}: a string keeps its first {@code n} characters; a shorter one is kept as it is. This
 *       is the prefix part of HIPAA Safe Harbor's ZIP rule only: the rule's "000 for three-digit areas under
 *       20,000 people" needs a census table, which this does not have.
 *   <li>{@code AgeCap(max)}: a date implying an age above {@code max} on {@code today} (a birth date) becomes
 *       the year in which the patient turns {@code max + 1}; an age quantity in years above {@code max} becomes
 *       {@code max + 1}. A partial date is taken at its earliest day, so a year that may hide an age above
 *       {@code max} is capped too. Ages in other units are not converted.
 * </ul>
 */
final class Generaliser {

    private static final Set<String> YEAR_UNITS = Set.of("a", "yr", "year", "years");

    private Generaliser() {
    }

    static void generalise(Base resource, String path, Generalise.Method method, LocalDate today) {
        for (Base node : ElementPaths.valuesUnder(resource, path)) {
            if (method instanceof Generalise.ToYear) {
                toYear(node);
            } else if (method instanceof Generalise.Prefix prefix) {
                prefix(node, prefix.keep());
            } else if (method instanceof Generalise.AgeCap cap) {
                ageCap(node, cap.maxAge(), today);
            } else {
                throw new IllegalStateException("TB-ENFORCE-009 unsupported generalisation " + method);
            }
        }
    }

    private static void toYear(Base node) {
        if (node instanceof BaseDateTimeType date && date.hasValue()) {
            setYear(date, date.getValueAsString().substring(0, 4));
        }
    }

    private static void prefix(Base node, int keep) {
        if (node instanceof StringType text && text.fhirType().equals("string") && text.hasValue()) {
            String value = text.getValue();
            if (value.codePointCount(0, value.length()) > keep) {
                String prefix = value.substring(0, value.offsetByCodePoints(0, keep));
                text.setValue(prefix.isEmpty() ? null : prefix);
            }
        }
    }

    private static void ageCap(Base node, int maxAge, LocalDate today) {
        if (node instanceof BaseDateTimeType date && date.hasValue()) {
            if (Period.between(earliestDay(date.getValueAsString()), today).getYears() > maxAge) {
                setYear(date, String.format(Locale.ROOT, "%04d", today.getYear() - maxAge - 1));
            }
        } else if (node instanceof Quantity age && age.hasValue() && inYears(age)) {
            if (age.getValue().compareTo(BigDecimal.valueOf(maxAge)) > 0) {
                age.setValue(maxAge + 1L);
            }
        }
    }

    private static void setYear(BaseDateTimeType date, String year) {
        if (date instanceof InstantType) {
            date.setValue((java.util.Date) null);
        } else {
            date.setValueAsString(year);
        }
    }

    private static LocalDate earliestDay(String value) {
        if (value.length() >= 10) {
            return DateShifter.day(value);
        }
        String yearAndMonth = value.length() >= 7 ? value.substring(0, 7) : value.substring(0, 4) + "-01";
        return DateShifter.day(yearAndMonth + "-01");
    }

    private static boolean inYears(Quantity quantity) {
        String code = quantity.getCode();
        String unit = quantity.getUnit();
        return "a".equals(code) || (unit != null && YEAR_UNITS.contains(unit.toLowerCase(Locale.ROOT)));
    }
}
