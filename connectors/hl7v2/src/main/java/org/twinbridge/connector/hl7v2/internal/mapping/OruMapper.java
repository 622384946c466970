package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_PATIENT;
import ca.uhn.hl7v2.model.v28.group.ORU_R01_PATIENT_RESULT;
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

/**
 * ORU^R01: per patient result, the patient (PID) and visit (PV1), then per order an OBR DiagnosticReport whose
 * results are its OBX Observations. Resources come out in the order the journal needs them: the Patient before
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

    List<Resource> map(ORU_R01 oru) throws HL7Exception {
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
                    Encounter visit = new EncounterMapper(context).map(pv1, subject.get(), false);
                    context.ledger().own(patientGroup.getVISIT(), visit);
                    context.ledger().own(pv1, visit);
                    resources.add(visit);
                    encounter = Optional.of(new Reference("Encounter/" + visit.getIdPart()));
                }
            }
            for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
                resources.addAll(order(order, subject, encounter, oru.getMSH()));
            }
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
                : context.dates().dateTime(Fields.first(obr, 7));
        boolean imaging = !obr.isEmpty() && IMAGING.contains(Fields.first(obr, 24).toUpperCase(Locale.ROOT));
        ObservationMapper observations = new ObservationMapper(context);
        for (ORU_R01_OBSERVATION group : order.getOBSERVATIONAll()) {
            Segment obx = group.getOBX();
            if (obx.isEmpty()) {
                continue;
            }
            List<Segment> notes = new ArrayList<>(group.getNTEAll());
            notes.removeIf(Fields::blank);
            Observation obs = observations.map(obx, subject, encounter, orderTime, imaging, notes);
            context.ledger().own(group, obs);
            context.ledger().own(obx, obs);
            resources.add(obs);
            report.ifPresent(r -> r.addResult(new Reference("Observation/" + obs.getIdPart())));
        }
        report.ifPresent(resources::add);
        return resources;
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
        Optional<DateTimeType> start = context.dates().dateTime(Fields.first(obr, 7));
        Optional<DateTimeType> end = context.dates().dateTime(Fields.first(obr, 8));
        if (start.isPresent() && end.isPresent()) {
            report.setEffective(new Period().setStartElement(start.get()).setEndElement(end.get()));
            ledger.mapped(obr, 7, 8);
        } else if (start.isPresent()) {
            report.setEffective(start.get());
            ledger.mapped(obr, 7);
        }
        Optional<org.hl7.fhir.r4.model.InstantType> issued = context.dates().instant(Fields.first(obr, 22));
        if (issued.isPresent()) {
            report.setIssuedElement(issued.get());
            ledger.mapped(obr, 22);
        } else {
            context.dates().instant(Fields.first(msh, 7)).ifPresent(sent -> {
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
