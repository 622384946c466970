package org.twinbridge.sdk.model;

import java.util.Objects;
import org.hl7.fhir.r4.model.Resource;

/**
 * Something a twin concluded about a subject: a score, a forecast or an alert.
 *
 * @param subject  the subject pseudonym the output is about (the plugin's own key domain)
 * @param kind     the kind of output; the resource must be of {@link OutputKind#resourceType()}
 * @param resource the FHIR R4 resource carrying the output; it refers to the subject by pseudonym only
 * @param summary  one line for operators and reports, for example {@code NEWS2 7 (high)}; must hold no PHI
 */
public record TwinOutput(String subject, OutputKind kind, Resource resource, String summary) {

    public TwinOutput {
        AuthorisedRecord.requireText(subject, "subject");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(resource, "resource");
        AuthorisedRecord.requireText(summary, "summary");
        if (!kind.resourceType().equals(resource.fhirType())) {
            throw new IllegalArgumentException("a " + kind + " output is carried by a " + kind.resourceType()
                    + ", not a " + resource.fhirType());
        }
    }

    @Override
    public String toString() {
        return "TwinOutput[kind=" + kind + ", summary=" + summary + "]";
    }
}
