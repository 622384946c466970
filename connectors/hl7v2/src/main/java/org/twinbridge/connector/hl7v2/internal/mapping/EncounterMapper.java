package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.model.Segment;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * PV1 to Encounter: class from PV1-2 (table 0004 to v3 ActCode), visit number (19) as identifier and id, admit
 * source (14), discharge disposition (36), and the period from admit (44) to discharge (45). The status follows
 * the event and the dates: a discharge (A03) or a discharge time means finished, an admit time in progress.
 */
final class EncounterMapper {

    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private final MessageContext context;

    EncounterMapper(MessageContext context) {
        this.context = context;
    }

    Encounter map(Segment pv1, Reference subject, boolean discharge) {
        Ledger ledger = context.ledger();
        Encounter encounter = new Encounter();
        ledger.mapped(pv1, 1);
        Optional<Identifier> visit = Fields.reps(pv1, 19).stream().map(context::identifier)
                .flatMap(Optional::stream).findFirst();
        visit.ifPresent(encounter::addIdentifier);
        ledger.mapped(pv1, 19);
        encounter.setId(visit.map(v -> Ids.of("Encounter", v.getSystem(), v.getValue()))
                .orElseGet(() -> context.segmentId("Encounter", pv1)));
        encounter.setSubject(subject);
        encounter.setClass_(encounterClass(Fields.first(pv1, 2)));
        ledger.mapped(pv1, 2);
        String admitSource = Fields.first(pv1, 14);
        if (!admitSource.isEmpty()) {
            encounter.getHospitalization().setAdmitSource(Codings.table("0023", admitSource));
            ledger.mapped(pv1, 14);
        }
        String disposition = Fields.first(pv1, 36);
        if (!disposition.isEmpty()) {
            encounter.getHospitalization().setDischargeDisposition(Codings.table("0112", disposition));
            ledger.mapped(pv1, 36);
        }
        Period period = new Period();
        Optional<DateTimeType> admitted = context.dateTime(pv1, 44);
        Optional<DateTimeType> discharged = context.dateTime(pv1, 45);
        admitted.ifPresent(start -> {
            period.setStartElement(start);
            ledger.mapped(pv1, 44);
        });
        discharged.ifPresent(end -> {
            period.setEndElement(end);
            ledger.mapped(pv1, 45);
        });
        if (period.hasStart() || period.hasEnd()) {
            encounter.setPeriod(period);
        }
        if (discharge || discharged.isPresent()) {
            encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        } else if (admitted.isPresent()) {
            encounter.setStatus(Encounter.EncounterStatus.INPROGRESS);
        } else {
            encounter.setStatus(Encounter.EncounterStatus.UNKNOWN);
        }
        return encounter;
    }

    private static Coding encounterClass(String code) {
        String upper = code.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "I" -> new Coding(ACT_CODE, "IMP", "inpatient encounter");
            case "O" -> new Coding(ACT_CODE, "AMB", "ambulatory");
            case "E" -> new Coding(ACT_CODE, "EMER", "emergency");
            case "P" -> new Coding(ACT_CODE, "PRENC", "pre-admission");
            case "" -> new Coding("http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "UNK", "unknown");
            default -> new Coding("http://terminology.hl7.org/CodeSystem/v2-0004", code, null);
        };
    }
}
