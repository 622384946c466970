package org.twinbridge.consent.evaluation;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.consent.model.RegisteredConsent;

/** Builders for requests, records and consents in evaluation tests. */
final class Requests {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private Requests() {
    }

    /**
     * A record from a compact spec: {@code Observation}, {@code Observation:8867-4}, {@code
     * Observation:8867-4@2020-06-01}, {@code Observation#o1}, {@code Patient}; labels after {@code +}, e.g.
     * {@code Observation+PSY} or {@code Observation+R} (a confidentiality code); a reference the record makes
     * after {@code >}, e.g. {@code Observation>Task/example3}.
     */
    static Resource record(String spec) {
        String[] referring = spec.split(">");
        String[] labelled = referring[0].split("\\+");
        String[] typed = labelled[0].split("#");
        String[] timed = typed[0].split("@");
        String[] coded = timed[0].split(":");
        Resource resource;
        if (coded[0].equals("Patient")) {
            Patient patient = new Patient();
            patient.addName().setFamily("CANARY-never-in-reasons");
            resource = patient;
        } else {
            Observation obs = new Observation();
            obs.setStatus(Observation.ObservationStatus.FINAL);
            obs.getCode().addCoding().setSystem("http://loinc.org").setCode(coded.length > 1 ? coded[1] : "1234-5");
            obs.setSubject(new Reference("Patient/p1"));
            obs.setValue(new Quantity().setValue(72));
            if (timed.length > 1) {
                obs.setEffective(new DateTimeType(timed[1]));
            }
            obs.addPerformer(new Reference("Practitioner/author-1"));
            if (referring.length > 1) {
                obs.addFocus(new Reference(referring[1]));
            }
            resource = obs;
        }
        resource.setId(typed.length > 1 ? typed[1] : "r1");
        for (int i = 1; i < labelled.length; i++) {
            String label = labelled[i];
            resource.getMeta().addSecurity(label.length() == 1
                    ? new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", label, null)
                    : new Coding(ACT_CODE, label, null));
        }
        return resource;
    }

    static ConsentRequest request(String recipient, String purpose, String record, String custodian, Instant at) {
        return new ConsentRequest(recipient, Set.of("Device/" + recipient), purpose, record(record),
                Optional.of("ehr"), Optional.ofNullable(custodian), at);
    }

    static RegisteredConsent consent(String source, String json) {
        Consent consent = FHIR.newJsonParser().parseResource(Consent.class, json);
        return new RegisteredConsent(source, "Consent/" + consent.getIdElement().getIdPart(), 1, consent);
    }

    /** A vote as the tables write it: {@code PERMIT provision.provision[0]}, {@code DENY provision}, ABSTAIN. */
    static String summary(ConsentVote vote) {
        if (vote instanceof ConsentVote.Applies applies) {
            return applies.effect() + " " + applies.citation().path();
        }
        return "ABSTAIN";
    }
}
