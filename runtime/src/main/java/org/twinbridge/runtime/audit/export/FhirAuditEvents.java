package org.twinbridge.runtime.audit.export;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.twinbridge.runtime.audit.AuditRecord;

/**
 * Exports audit entries as FHIR R4 {@code AuditEvent} resources (NDJSON, one per line), for a privacy
 * officer's or an auditor's tools. Decisions become DICOM "Export" events whose outcome is success for a
 * permit and minor failure for a deny; other events keep their kind as a TwinBridge subtype. Patients appear by
 * internal key only.
 */
public final class FhirAuditEvents {

    /** TwinBridge's own code system for audit entry kinds ({@code decision}, {@code keys.rotate}, ...). */
    public static final String KIND_SYSTEM = "urn:twinbridge:audit-kind";
    /** The identifier system of internal patient keys. */
    public static final String PATIENT_KEY_SYSTEM = "urn:twinbridge:patient-key";
    /** The identifier system of privacy receipt ids. */
    public static final String RECEIPT_SYSTEM = "urn:twinbridge:receipt";
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    private FhirAuditEvents() {
    }

    public static String ndjson(List<AuditRecord> records, String nodeId) {
        IParser parser = FhirContext.forR4Cached().newJsonParser();
        StringBuilder out = new StringBuilder();
        for (AuditRecord r : records) {
            out.append(parser.encodeResourceToString(toResource(r, nodeId))).append('\n');
        }
        return out.toString();
    }

    public static AuditEvent toResource(AuditRecord r, String nodeId) {
        AuditEvent event = new AuditEvent();
        event.setId("tb-audit-" + r.position());
        boolean decision = r.kind().equals("decision");
        event.setType(decision ? new Coding(DCM, "110106", "Export")
                : r.kind().startsWith("keys.") || r.kind().startsWith("plugin.")
                        ? new Coding(DCM, "110113", "Security Alert")
                        : new Coding(DCM, "110100", "Application Activity"));
        event.addSubtype(new Coding(KIND_SYSTEM, r.kind(), null));
        event.setAction(decision ? AuditEventAction.R : AuditEventAction.E);
        event.setRecorded(Date.from(r.recordedAt()));
        boolean denied = r.outcome().map("DENY"::equals).orElse(false);
        event.setOutcome(denied ? AuditEventOutcome._4 : AuditEventOutcome._0);
        if (denied) {
            event.setOutcomeDesc("deny: " + r.detail("reason").orElse("no reason recorded"));
        }
        r.purpose().ifPresent(p -> event.addPurposeOfEvent(new CodeableConcept(new Coding(PURPOSE_SYSTEM, p, null))));
        AuditEvent.AuditEventAgentComponent actor = event.addAgent();
        actor.setRequestor(!decision);
        actor.setWho(new Reference().setDisplay(r.actor()));
        r.plugin().ifPresent(plugin -> event.addAgent().setRequestor(true)
                .setType(new CodeableConcept(new Coding(DCM, "110152", "Destination Role ID")))
                .setWho(new Reference().setIdentifier(new Identifier().setSystem("urn:twinbridge:plugin")
                        .setValue(plugin)).setDisplay("twin plugin " + plugin)));
        event.getSource().setSite(nodeId).setObserver(new Reference().setDisplay("TwinBridge node " + nodeId));
        if (!r.subject().isEmpty()) {
            event.addEntity().setWhat(new Reference().setIdentifier(new Identifier().setSystem(PATIENT_KEY_SYSTEM)
                    .setValue(r.subject()))).setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type",
                            "1", "Person"));
        }
        AuditEvent.AuditEventEntityComponent details = event.addEntity();
        r.receipt().ifPresent(receipt -> details.setWhat(new Reference().setIdentifier(
                new Identifier().setSystem(RECEIPT_SYSTEM).setValue(receipt))));
        details.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
        details.setDescription("TwinBridge audit chain position " + r.position() + ", hash " + r.hash());
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(r.details()).entrySet()) {
            details.addDetail().setType(e.getKey()).setValue(new org.hl7.fhir.r4.model.StringType(e.getValue()));
        }
        return event;
    }
}
