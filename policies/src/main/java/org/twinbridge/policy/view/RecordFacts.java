package org.twinbridge.policy.view;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

/**
 * Facts about a record that every stage needs (the node's journal and dispatch, the vendor test harness), derived
 * the same way for every source protocol.
 */
public final class RecordFacts {

    private RecordFacts() {
    }

    /** A coarse category: an Observation's first category code (vital-signs, laboratory), else the type. */
    public static String category(Resource resource) {
        if (resource instanceof Observation obs && obs.hasCategory() && obs.getCategoryFirstRep().hasCoding()) {
            String code = obs.getCategoryFirstRep().getCodingFirstRep().getCode();
            if (code != null && code.matches("[A-Za-z0-9-]{1,64}")) {
                return code;
            }
        }
        return resource.fhirType();
    }

    /** When the fact was clinically true, if the resource says. */
    public static Optional<Instant> effectiveTime(Resource resource) {
        Date date = null;
        if (resource instanceof Observation obs) {
            date = obs.hasEffective() ? start(obs.getEffective()) : obs.getIssued();
        } else if (resource instanceof Condition c) {
            date = c.hasOnset() ? start(c.getOnset()) : c.getRecordedDate();
        } else if (resource instanceof MedicationRequest m) {
            date = m.getAuthoredOn();
        } else if (resource instanceof Encounter e) {
            date = e.getPeriod().getStart();
        } else if (resource instanceof Procedure p) {
            date = p.hasPerformed() ? start(p.getPerformed()) : null;
        } else if (resource instanceof DiagnosticReport d) {
            date = d.hasEffective() ? start(d.getEffective()) : d.getIssued();
        } else if (resource instanceof Immunization i) {
            date = i.hasOccurrenceDateTimeType() ? i.getOccurrenceDateTimeType().getValue() : null;
        }
        return Optional.ofNullable(date).map(Date::toInstant);
    }

    private static Date start(Type value) {
        if (value instanceof org.hl7.fhir.r4.model.DateTimeType dt) {
            return dt.getValue();
        }
        if (value instanceof org.hl7.fhir.r4.model.Period p) {
            return p.getStart();
        }
        if (value instanceof org.hl7.fhir.r4.model.InstantType i) {
            return i.getValue();
        }
        return null;
    }
}
