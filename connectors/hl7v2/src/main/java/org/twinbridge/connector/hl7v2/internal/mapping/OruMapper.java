package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_ORDER_DOCUMENT;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_PATIENT;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_PATIENT_OBSERVATION;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_SPECIMEN;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_SPECIMEN_OBSERVATION;
import ca.uhn.hl7v2.model.v28.message.ORU_R01;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.connector.hl7v2.internal.wire.Rejection;

/**
 * ORU^R01: per patient result, the patient (PID), visit (PV1) and patient-level OBX, then per order an OBR
 * DiagnosticReport whose results are the order's OBX Observations (result, order-document and specimen OBX). Resources come out in the order the journal needs them: the Patient before
 * anything that refers to it.
 */
final class OruMapper {

    /** Table 0074 diagnostic service sections that are imaging. */
    private static final Set<String> IMAGING = Set.of("RAD", "CT", "MR", "US", "NMR", "NMS", "XRC", "CUS", "VUS",
            "RX", "OUS", "CTH", "MRI", "IMG");
    private final MessageContext context;

    OruMapper(MessageContext context) {
        this.context = context;
    }

    List<Resource> map(ORU_R01 oru) throws HL7Exception, MappingException {
        List<Resource> resources = new ArrayList<>();
        for (ORU_R01_PATIENT_RESULT result : oru.getPATIENT_RESULTAll()) {
            Optional<Reference> subject = Optional.empty();
            Optional<Reference> encounter = Optional.empty();
            ORU_R01_PATIENT patientGroup = result.getPATIENT();
            if (!patientGroup.getPID().isEmpty()) {
                Patient patient = new PatientMapper(context).map(patientGroup.getPID());
                context.ledger().own(patientGroup, patient);
                context.ledger().own(patientGroup.getPID(), patient);
                resources.add(patient);
                subject = Optional.of(new Reference("Patient/" + patient.getIdPart()));
                Segment pv1 = patientGroup.getVISIT().getPV1();
                if (!pv1.isEmpty()) {
                    Encounter visit = new EncounterMapper(context).map(pv1, subject.get(), VisitEvent.UPDATE,
                            Optional.empty());
                    context.ledger().own(patientGroup.getVISIT(), visit);
                    context.ledger().own(pv1, visit);
                    resources.add(visit);
                    encounter = Optional.of(new Reference("Encounter/" + visit.getIdPart()));
                }
                // v2.7+ patient-level observations (height, weight, ...) outside any order.
                ObservationMapper observations = new ObservationMapper(context);
                for (ORU_R01_PATIENT_OBSERVATION group : patientGroup.getPATIENT_OBSERVATIONAll()) {
                    observation(observations, group, group.getOBX(), List.of(), subject, encounter,
                            Optional.empty(), false).ifPresent(resources::add);
                }
            }
            for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
                resources.addAll(order(order, subject, encounter, oru.getMSH()));
            }
        }
        if (resources.stream().noneMatch(r -> r instanceof DiagnosticReport || r instanceof Observation)) {
            throw new MappingException(Rejection.missingSegment("OBR"));
        }
        return resources;
    }

    private List<Resource> order(ORU_R01_ORDER_OBSERVATION order, Optional<Reference> subject,
            Optional<Reference> encounter, Segment msh) throws HL7Exception {
        List<Resource> resources = new ArrayList<>();
        Segment obr = order.getOBR();
        Optional<DiagnosticReport> report = obr.isEmpty() ? Optional.empty()
                : Optional.of(report(obr, subject, encounter, msh));
        report.ifPresent(r -> {
            context.ledger().own(order, r);
            context.ledger().own(obr, r);
        });
        Optional<DateTimeType> orderTime = obr.isEmpty() ? Optional.empty()
                : context.dateTime(obr, 7);
        boolean imaging = !obr.isEmpty() && IMAGING.contains(Fields.first(obr, 24).toUpperCase(Locale.ROOT));
        ObservationMapper observations = new ObservationMapper(context);
        List<Observation> results = new ArrayList<>();
        ORU_R01_ORDER_DOCUMENT document = order.getCOMMON_ORDER().getORDER_DOCUMENT();
        observation(observations, document, document.getOBX(), List.of(), subject, encounter, orderTime, imaging)
                .ifPresent(results::add);
        for (ORU_R01_OBSERVATION group : order.getOBSERVATIONAll()) {
            List<Segment> notes = new ArrayList<>(group.getNTEAll());
            notes.removeIf(Fields::blank);
            observation(observations, group, group.getOBX(), notes, subject, encounter, orderTime, imaging)
                    .ifPresent(results::add);
        }
        // Observations about the specimen (for example ask-at-order-entry answers) are results too.
        for (ORU_R01_SPECIMEN specimen : order.getSPECIMENAll()) {
            for (ORU_R01_SPECIMEN_OBSERVATION group : specimen.getSPECIMEN_OBSERVATIONAll()) {
                observation(observations, group, group.getOBX(), List.of(), subject, encounter, orderTime, imaging)
                        .ifPresent(results::add);
            }
        }
        resources.addAll(results);
        report.ifPresent(r -> {
            results.forEach(obs -> r.addResult(new Reference("Observation/" + obs.getIdPart())));
            resources.add(r);
        });
        return resources;
    }

    private Optional<Observation> observation(ObservationMapper observations, Group group, Segment obx,
            List<Segment> notes, Optional<Reference> subject, Optional<Reference> encounter,
            Optional<DateTimeType> orderTime, boolean imaging) {
        if (Fields.blank(obx)) {
            return Optional.empty();
        }
        Observation obs = observations.map(obx, subject, encounter, orderTime, imaging, notes);
        context.ledger().own(group, obs);
        context.ledger().own(obx, obs);
        return Optional.of(obs);
    }

    private DiagnosticReport report(Segment obr, Optional<Reference> subject, Optional<Reference> encounter,
            Segment msh) {
        Ledger ledger = context.ledger();
        DiagnosticReport report = new DiagnosticReport();
        report.setId(context.segmentId("DiagnosticReport", obr));
        ledger.mapped(obr, 1);
        Fields.reps(obr, 2).stream().findFirst().flatMap(ei -> context.entityIdentifier(ei, "PLAC"))
                .ifPresent(id -> {
                    report.addIdentifier(id);
                    ledger.mapped(obr, 2);
                });
        Fields.reps(obr, 3).stream().findFirst().flatMap(ei -> context.entityIdentifier(ei, "FILL"))
                .ifPresent(id -> {
                    report.addIdentifier(id);
                    ledger.mapped(obr, 3);
                });
        Fields.reps(obr, 4).stream().findFirst().flatMap(Codings::concept).ifPresent(code -> {
            report.setCode(code);
            ledger.mapped(obr, 4);
        });
        report.setStatus(status(Fields.first(obr, 25)));
        ledger.mapped(obr, 25);
        String section = Fields.first(obr, 24);
        if (!section.isEmpty()) {
            report.addCategory(Codings.table("0074", section));
            ledger.mapped(obr, 24);
        }
        Optional<DateTimeType> start = context.dateTime(obr, 7);
        Optional<DateTimeType> end = context.dateTime(obr, 8);
        if (start.isPresent() && end.isPresent()) {
            report.setEffective(new Period().setStartElement(start.get()).setEndElement(end.get()));
            ledger.mapped(obr, 7, 8);
        } else if (start.isPresent()) {
            report.setEffective(start.get());
            ledger.mapped(obr, 7);
        }
        Optional<org.hl7.fhir.r4.model.InstantType> issued = context.instant(obr, 22);
        if (issued.isPresent()) {
            report.setIssuedElement(issued.get());
            ledger.mapped(obr, 22);
        } else {
            context.instant(msh, 7).ifPresent(sent -> {
                report.setIssuedElement(sent);
                ledger.mapped(msh, 7);
            });
        }
        subject.ifPresent(report::setSubject);
        encounter.ifPresent(report::setEncounter);
        return report;
    }

    private static DiagnosticReportStatus status(String code) {
        return switch (code.toUpperCase(Locale.ROOT)) {
            case "O", "I", "S" -> DiagnosticReportStatus.REGISTERED;
            case "P", "R" -> DiagnosticReportStatus.PRELIMINARY;
            case "A" -> DiagnosticReportStatus.PARTIAL;
            case "C" -> DiagnosticReportStatus.CORRECTED;
            case "F" -> DiagnosticReportStatus.FINAL;
            case "X" -> DiagnosticReportStatus.CANCELLED;
            default -> DiagnosticReportStatus.UNKNOWN;
        };
    }
}
