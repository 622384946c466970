package org.twinbridge.consent.model;

import java.util.Objects;
import org.hl7.fhir.r4.model.Consent;

/**
 * One version of a FHIR Consent as the registry holds it. {@link #toString()} prints metadata only: the
 * resource names the patient.
 *
 * @param source    where it came from: a connector id, {@code import}, or {@code file} for a consent given to
 *                  {@code policy explain}; literal references inside the consent are read in that source's
 *                  namespace
 * @param consentId {@code Consent/<logical id>} in that source
 * @param version   the registry's version of this consent, from 1; a change is a new version, never an edit
 * @param resource  the Consent; treat as read-only
 */
public record RegisteredConsent(String source, String consentId, int version, Consent resource) {

    public RegisteredConsent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(consentId, "consentId");
        Objects.requireNonNull(resource, "resource");
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more, not " + version);
        }
    }

    /** How reasons name it: {@code Consent/abc v3 (ehr)}. */
    public String label() {
        return consentId + " v" + version + " (" + source + ")";
    }

    @Override
    public String toString() {
        return "RegisteredConsent[" + label() + ", status=" + resource.getStatus() + "]";
    }
}
