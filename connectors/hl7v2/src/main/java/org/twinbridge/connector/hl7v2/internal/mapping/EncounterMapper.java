package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import java.util.List;
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
 * the event and the dates: a cancelled admission (A11) is cancelled; a discharge (A03) or a discharge time means
 * finished, unless the discharge is being cancelled (A13); an admit time means in progress.
 *
 * <p>Where the patient is: PV1-3 (assigned location) becomes an {@code Encounter.location} whose reference names
 * the ward (facility and point of care; room and bed stay out: a census needs wards, and beds are quasi-identifying
 * in small units), active from the event time, or completed at it for a discharge or a cancelled admission. A
 * transfer (A02) or a cancelled transfer (A12) also lists PV1-6 (prior location) as completed at the event time.
 * The event time (EVN-6, else EVN-2) and the resulting status go to {@code statusHistory}, so that a receiver can
 * order the versions of one Encounter even when the messages arrived out of order.
 */
final class EncounterMapper {

    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private final MessageContext context;

    EncounterMapper(MessageContext context) {
        this.context = context;
    }

    Encounter map(Segment pv1, Reference subject, VisitEvent event, Optional<DateTimeType> eventTime) {
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
        if (discharged.isPresent()) {
            ledger.mapped(pv1, 45);
            if (event != VisitEvent.CANCEL_DISCHARGE) { // an A13 may still carry the discharge it cancels
                period.setEndElement(discharged.get());
            }
        }
        if (period.hasStart() || period.hasEnd()) {
            encounter.setPeriod(period);
        }
        encounter.setStatus(status(event, admitted.isPresent(), period.hasEnd()));
        eventTime.ifPresent(time -> encounter.addStatusHistory().setStatus(encounter.getStatus())
                .setPeriod(new Period().setStartElement(time.copy())));
        locations(pv1, encounter, event, eventTime.or(() -> event == VisitEvent.ADMIT ? admitted : Optional.empty()),
                event == VisitEvent.DISCHARGE ? discharged.or(() -> eventTime) : eventTime);
        return encounter;
    }

    private static Encounter.EncounterStatus status(VisitEvent event, boolean admitted, boolean ended) {
        if (event == VisitEvent.CANCEL_ADMIT) {
            return Encounter.EncounterStatus.CANCELLED;
        }
        if (event == VisitEvent.DISCHARGE || ended) {
            return Encounter.EncounterStatus.FINISHED;
        }
        return admitted || event == VisitEvent.CANCEL_DISCHARGE ? Encounter.EncounterStatus.INPROGRESS
                : Encounter.EncounterStatus.UNKNOWN;
    }

    /** PV1-3 and, for a transfer or its cancellation, PV1-6 as the Encounter's locations; see the class doc. */
    private void locations(Segment pv1, Encounter encounter, VisitEvent event, Optional<DateTimeType> arrived,
            Optional<DateTimeType> left) {
        boolean leaving = event == VisitEvent.DISCHARGE || event == VisitEvent.CANCEL_ADMIT;
        ward(pv1, 3).ifPresent(ward -> {
            Encounter.EncounterLocationComponent here = encounter.addLocation().setLocation(ward);
            if (leaving) {
                here.setStatus(Encounter.EncounterLocationStatus.COMPLETED);
                left.ifPresent(end -> here.setPeriod(new Period().setEndElement(end.copy())));
            } else {
                here.setStatus(Encounter.EncounterLocationStatus.ACTIVE);
                // An update (A08) says where the patient is, not since when.
                if (event != VisitEvent.UPDATE) {
                    arrived.ifPresent(start -> here.setPeriod(new Period().setStartElement(start.copy())));
                }
            }
            context.ledger().mapped(pv1, 3);
        });
        if (event == VisitEvent.TRANSFER || event == VisitEvent.CANCEL_TRANSFER) {
            ward(pv1, 6).ifPresent(prior -> {
                Encounter.EncounterLocationComponent before = new Encounter.EncounterLocationComponent(prior)
                        .setStatus(Encounter.EncounterLocationStatus.COMPLETED);
                left.ifPresent(end -> before.setPeriod(new Period().setEndElement(end.copy())));
                encounter.getLocation().add(0, before);
                context.ledger().mapped(pv1, 6);
            });
        }
    }

    /** A PL value's ward: the point of care (PL-1) within its facility (PL-4); empty without a point of care. */
    private Optional<Reference> ward(Segment pv1, int field) {
        List<Type> reps = Fields.reps(pv1, field);
        if (reps.isEmpty() || Fields.get(reps.get(0), 1).isEmpty()) {
            return Optional.empty();
        }
        String pointOfCare = Fields.get(reps.get(0), 1);
        String facility = Fields.get(reps.get(0), 4);
        return Optional.of(new Reference("Location/" + Ids.of("Location", facility, pointOfCare))
                .setDisplay(pointOfCare));
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
