package org.twinbridge.policy.enforcement;

import java.time.DateTimeException;
import java.time.LocalDate;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;

/**
 * Moves every date, dateTime and instant in a resource (Period start and end included) by a number of days,
 * keeping each value's precision, time of day and zone. Values coarser than a day (a year, or a year and month)
 * are left alone: they cannot move by days without changing precision, and they disclose little.
 */
final class DateShifter {

    private DateShifter() {
    }

    static void shift(Base resource, int days) {
        for (Base node : ElementPaths.selfAndDescendants(resource)) {
            if (node instanceof BaseDateTimeType value && value.hasValue()) {
                String original = value.getValueAsString();
                String shifted = shifted(original, days);
                if (!shifted.equals(original)) {
                    value.setValueAsString(shifted);
                }
            }
        }
    }

    /**
     * Shifts the calendar date of a FHIR date/dateTime/instant string. Editing the text rather than a
     * {@link java.util.Date} keeps the original offset and fractional seconds exactly, and cannot be moved by the
     * JVM's default time zone.
     */
    static String shifted(String value, int days) {
        if (value.length() < 10) {
            return value;
        }
        return day(value).plusDays(days) + value.substring(10);
    }

    /** The calendar day a full date string starts with; the exception names no value, which may be PHI. */
    static LocalDate day(String value) {
        try {
            return LocalDate.parse(value.substring(0, 10));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("TB-ENFORCE-006 a date in the record is not a valid FHIR date, "
                    + "dateTime or instant, so it cannot be shifted or generalised; the record is refused");
        }
    }
}
