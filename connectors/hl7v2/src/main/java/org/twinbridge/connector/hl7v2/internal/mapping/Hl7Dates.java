package org.twinbridge.connector.hl7v2.internal.mapping;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.InstantType;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * HL7 DTM/TS values ({@code YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ]}) as FHIR dates, keeping their precision.
 * A time without an offset is read in the connector's configured zone: FHIR requires a zone once there is a time.
 */
final class Hl7Dates {

    private static final Pattern DTM = Pattern.compile(
            "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.(\\d{1,4}))?([+-]\\d{4})?");
    private final ZoneId zone;

    Hl7Dates(ZoneId zone) {
        this.zone = zone;
    }

    /** A dateTime with the value's precision, or empty if the text is not a DTM. */
    Optional<DateTimeType> dateTime(String text) {
        Matcher m = DTM.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int year = Integer.parseInt(m.group(1));
        if (m.group(2) == null) {
            return Optional.of(new DateTimeType(String.format("%04d", year)));
        }
        int month = Integer.parseInt(m.group(2));
        if (month < 1 || month > 12) {
            return Optional.empty();
        }
        if (m.group(3) == null) {
            return Optional.of(new DateTimeType(String.format("%04d-%02d", year, month)));
        }
        int day = Integer.parseInt(m.group(3));
        if (m.group(4) == null) {
            return valid(year, month, day, 0, 0, 0) ? Optional.of(new DateTimeType(
                    String.format("%04d-%02d-%02d", year, month, day))) : Optional.empty();
        }
        int hour = Integer.parseInt(m.group(4));
        int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        if (!valid(year, month, day, hour, minute, second)) {
            return Optional.empty();
        }
        int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "000").substring(0, 3)) * 1_000_000;
        LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        ZonedDateTime zoned = m.group(8) == null ? local.atZone(zone)
                : local.atZone(ZoneOffset.of(m.group(8).substring(0, 3) + ":" + m.group(8).substring(3)));
        DateTimeType value = new DateTimeType(Date.from(zoned.toInstant()),
                m.group(7) == null ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI,
                TimeZone.getTimeZone(zoned.getZone()));
        return Optional.of(value);
    }

    /** The date part only (for birth dates), or empty. */
    Optional<DateType> date(String text) {
        return dateTime(text).map(dt -> new DateType(dt.getValueAsString().substring(0,
                Math.min(10, dt.getValueAsString().length()))));
    }

    /** An instant (needs at least a full date and time), or empty. */
    Optional<InstantType> instant(String text) {
        return dateTime(text).filter(dt -> dt.getPrecision().ordinal() >= TemporalPrecisionEnum.SECOND.ordinal())
                .map(dt -> new InstantType(dt.getValue(), TemporalPrecisionEnum.SECOND, dt.getTimeZone()));
    }

    private static boolean valid(int year, int month, int day, int hour, int minute, int second) {
        try {
            LocalDateTime.of(year, month, day, hour, minute, second);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }
}
