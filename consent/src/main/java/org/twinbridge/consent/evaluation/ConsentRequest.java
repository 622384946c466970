package org.twinbridge.consent.evaluation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * One question for consent evaluation: may this recipient use this record for this purpose, now?
 * {@link #toString()} prints no record content.
 *
 * @param recipient  the plugin id
 * @param actors     the references Consent actors know the recipient by, e.g. {@code Device/news2-twin}
 * @param purpose    HL7 v3 PurposeOfUse code the recipient acts under, e.g. {@code TREAT}
 * @param resource   the record, as journalled (with its security labels); not modified
 * @param source     where the record came from (a connector id); literal references in consents from
 *                   another source do not refer to it
 * @param custodian  the organisation holding the record's source data, if configured
 * @param at         when the access happens: consent and provision periods are checked against it
 */
public record ConsentRequest(String recipient, Set<String> actors, String purpose, Resource resource,
        Optional<String> source, Optional<String> custodian, Instant at) {

    public ConsentRequest {
        Objects.requireNonNull(recipient, "recipient");
        actors = Set.copyOf(actors);
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(custodian, "custodian");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public String toString() {
        return "ConsentRequest[recipient=" + recipient + ", purpose=" + purpose + ", type=" + resource.fhirType()
                + ", at=" + at + "]";
    }
}
