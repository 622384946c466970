package org.twinbridge.runtime.consent;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;

/** Consents for runtime tests. */
final class Consents {

    static final String SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
    static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";

    private Consents() {
    }

    /** An active patient-privacy consent of Patient/{patientId} whose root provision has the given type. */
    static Consent of(String id, String patientId, Consent.ConsentProvisionType type) {
        Consent consent = new Consent();
        consent.setId(id);
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.getScope().addCoding(new Coding(SCOPE, "patient-privacy", null));
        consent.setPatient(new Reference("Patient/" + patientId));
        consent.getProvision().setType(type);
        return consent;
    }

    /** Permit, except Observations for {@code actor}. */
    static Consent denyObservationsTo(String id, String patientId, String actor) {
        Consent consent = of(id, patientId, Consent.ConsentProvisionType.PERMIT);
        Consent.ProvisionComponent except = consent.getProvision().addProvision()
                .setType(Consent.ConsentProvisionType.DENY);
        except.addActor().setReference(new Reference(actor)).getRole().addCoding(
                new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PRCP", null));
        except.addClass_(new Coding(RESOURCE_TYPES, "Observation", null));
        return consent;
    }
}
