package org.twinbridge.consent.io;

import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;

/**
 * One Consent read from a file, with where it was found. {@link #toString()} prints the location only.
 *
 * @param location        {@code file}, {@code file:line:1} for NDJSON, or {@code file entry[3]} in a Bundle
 * @param consent         the resource
 * @param patientInFile   the Patient the consent's {@code patient} reference points to, when the same file
 *                        holds it (a Bundle entry by fullUrl or {@code Patient/id}, or an NDJSON line)
 */
public record ConsentInput(String location, Consent consent, Optional<Patient> patientInFile) {

    public ConsentInput {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(consent, "consent");
        Objects.requireNonNull(patientInFile, "patientInFile");
    }

    @Override
    public String toString() {
        return "ConsentInput[" + location + "]";
    }
}
