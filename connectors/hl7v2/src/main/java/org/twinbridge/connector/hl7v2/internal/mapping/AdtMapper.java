package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v28.group.ADT_A39_PATIENT;
import ca.uhn.hl7v2.model.v28.message.ADT_A39;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.connector.hl7v2.internal.wire.Rejection;

/**
 * ADT events. A01 (admit), A04 (register), A08 (update) and A03 (discharge) map PID to Patient and PV1 to
 * Encounter. A40 (merge patient) maps each PID to the surviving Patient, which {@code replaces} a Patient
 * built from MRG-1 (the prior identifiers) that is marked inactive and {@code replaced-by} the survivor: the
 * node's patient index performs the merge when it journals that pair.
 */
final class AdtMapper {

    private final MessageContext context;

    AdtMapper(MessageContext context) {
        this.context = context;
    }

    /** A01 to A04, A08 and A11 to A13: the PID and PV1 of the message. */
    List<Resource> patientAndVisit(Segment evn, Segment pid, Segment pv1, VisitEvent event) throws MappingException {
        if (Fields.blank(pid)) {
            throw new MappingException(Rejection.missingSegment("PID"));
        }
        Optional<DateTimeType> eventTime = Optional.empty();
        if (!Fields.blank(evn)) {
            context.ledger().mapped(evn, 1);
            eventTime = eventTime(evn);
        }
        List<Resource> resources = new ArrayList<>();
        Patient patient = new PatientMapper(context).map(pid);
        context.ledger().own(pid, patient);
        resources.add(patient);
        if (!Fields.blank(pv1)) {
            Encounter encounter = new EncounterMapper(context).map(pv1,
                    new Reference("Patient/" + patient.getIdPart()), event, eventTime);
            context.ledger().own(pv1, encounter);
            resources.add(encounter);
        }
        return resources;
    }

    /** EVN-6 (when the event occurred), else EVN-2 (when it was recorded). */
    private Optional<DateTimeType> eventTime(Segment evn) {
        for (int field : new int[] {6, 2}) {
            Optional<DateTimeType> time = context.dates().dateTime(Fields.first(evn, field));
            if (time.isPresent()) {
                context.ledger().mapped(evn, field);
                return time;
            }
        }
        return Optional.empty();
    }

    /** A40: for each PATIENT group, the survivor and the patient it replaces. */
    List<Resource> merge(ADT_A39 message) throws HL7Exception, MappingException {
        if (!Fields.blank(message.getEVN())) {
            context.ledger().mapped(message.getEVN(), 1);
        }
        List<Resource> resources = new ArrayList<>();
        PatientMapper patients = new PatientMapper(context);
        for (ADT_A39_PATIENT group : message.getPATIENTAll()) {
            Segment pid = group.getPID();
            Segment mrg = group.getMRG();
            if (Fields.blank(pid)) {
                throw new MappingException(Rejection.missingSegment("PID"));
            }
            if (Fields.blank(mrg)) {
                throw new MappingException(Rejection.missingSegment("MRG"));
            }
            List<Identifier> prior = patients.identifiers(mrg, 1);
            if (prior.isEmpty()) {
                throw new MappingException(Rejection.missingField("MRG", 1, "prior patient identifier list"));
            }
            Patient survivor = patients.map(pid);
            context.ledger().own(group, survivor);
            context.ledger().own(pid, survivor);
            resources.add(survivor);
            String mergedId = PatientMapper.idFor(prior.get(0));
            context.ledger().mapped(mrg, 1);
            if (!mergedId.equals(survivor.getIdPart())) {
                survivor.addLink().setType(Patient.LinkType.REPLACES).setOther(new Reference("Patient/" + mergedId));
                Patient merged = new Patient();
                merged.setId(mergedId);
                merged.setActive(false);
                prior.forEach(merged::addIdentifier);
                Fields.reps(mrg, 7).stream().findFirst().ifPresent(xpn -> {
                    String family = Fields.get(xpn, 1, 1);
                    if (!family.isEmpty()) {
                        HumanName name = merged.addName().setFamily(family).setUse(HumanName.NameUse.OLD);
                        if (!Fields.get(xpn, 2).isEmpty()) {
                            name.addGiven(Fields.get(xpn, 2));
                        }
                        context.ledger().mapped(mrg, 7);
                    }
                });
                merged.addLink().setType(Patient.LinkType.REPLACEDBY)
                        .setOther(new Reference("Patient/" + survivor.getIdPart()));
                context.ledger().own(mrg, merged);
                resources.add(merged);
            }
            Segment pv1 = group.getPV1();
            if (!Fields.blank(pv1)) {
                Encounter encounter = new EncounterMapper(context).map(pv1,
                        new Reference("Patient/" + survivor.getIdPart()), VisitEvent.UPDATE, Optional.empty());
                context.ledger().own(pv1, encounter);
                resources.add(encounter);
            }
        }
        if (resources.isEmpty()) {
            throw new MappingException(Rejection.missingSegment("PID"));
        }
        return resources;
    }
}
