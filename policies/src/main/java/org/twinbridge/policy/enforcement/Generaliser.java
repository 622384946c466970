package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.Period;
import java.util.Locale;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.twinbridge.policy.model.Obligation.Generalise;

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
 *       {@code max} is capped too. Ages in months, weeks or days are converted to years first, and a capped age
 *       is written in years ({@code a}).
 * </ul>
 * {@link #allToYear} is the type-driven form of {@code ToYear}, for {@link Obligation.DatesToYear}.
 */
final class Generaliser {

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

    /** Every date, dateTime and instant anywhere below {@code view} to its year (instants are removed). */
    static void allToYear(Base view) {
        for (Base node : ElementPaths.selfAndDescendants(view)) {
            toYear(node);
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
        if (node instanceof BaseDateTimeType date) {
            capBirthDate(date, maxAge, today);
        } else if (node instanceof Quantity age) {
            BigDecimal years = Ages.years(age, true);
            if (years != null && years.compareTo(BigDecimal.valueOf(maxAge)) > 0) {
                Ages.cap(age, maxAge);
            }
        }
    }

    /** A birth date implying an age above {@code maxAge} becomes the year in which the patient turns maxAge + 1. */
    static void capBirthDate(BaseDateTimeType date, int maxAge, LocalDate today) {
        if (date.hasValue() && Period.between(earliestDay(date.getValueAsString()), today).getYears() > maxAge) {
            setYear(date, String.format(Locale.ROOT, "%04d", today.getYear() - maxAge - 1));
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
}
