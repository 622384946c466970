package org.twinbridge.consent.evaluation;

import java.util.Objects;
import org.twinbridge.consent.model.Effect;

/**
 * The provision of one consent version that decided an access. Holds no PHI: ids, paths and condition kinds.
 *
 * @param consent  how the consent is named, {@code Consent/abc v3 (ehr)}
 * @param consentId {@code Consent/abc}
 * @param version  the registry version
 * @param path     the deciding provision, as a FHIR element path: {@code provision} (the root) or
 *                 {@code provision.provision[1]} (its second nested provision)
 * @param effect   what that provision does
 * @param matched  what matched, e.g. {@code class Observation, purpose TREAT}; may be empty (no conditions)
 */
public record ConsentCitation(String consent, String consentId, int version, String path, Effect effect,
        String matched) {

    public ConsentCitation {
        Objects.requireNonNull(consent, "consent");
        Objects.requireNonNull(consentId, "consentId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(matched, "matched");
    }

    /** {@code Consent/abc v3 (ehr) provision.provision[1] denies class Observation}. */
    public String describe() {
        String what = matched.isEmpty() ? " everything in scope" : matched.startsWith(":") ? matched : " " + matched;
        return consent + " " + path + " " + effect.verb() + what;
    }
}
