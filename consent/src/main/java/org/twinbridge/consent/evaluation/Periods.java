package org.twinbridge.consent.evaluation;

import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;

/** FHIR Period containment: the start is inclusive, and the end includes everything within its precision. */
final class Periods {

    private Periods() {
    }

    /**
     * True if {@code at} lies in the period. An end of {@code 2016-01-01} includes the whole of that day, as the
     * FHIR Period definition says; an open end is unbounded.
     */
    static boolean contains(Period period, Instant at) {
        DateTimeType start = period.getStartElement();
        if (start != null && start.getValue() != null && at.isBefore(start.getValue().toInstant())) {
            return false;
        }
        DateTimeType end = period.getEndElement();
        if (end != null && end.getValue() != null) {
            Date exclusiveEnd = end.getPrecision().add(end.getValue(), 1);
            return at.isBefore(exclusiveEnd.toInstant());
        }
        return true;
    }

    /** A short, PHI-free rendering for reasons: {@code 2015-01-01..2015-02-01}. */
    static String describe(Period period) {
        return (period.hasStart() ? period.getStartElement().getValueAsString() : "")
                + ".." + (period.hasEnd() ? period.getEndElement().getValueAsString() : "");
    }
}
