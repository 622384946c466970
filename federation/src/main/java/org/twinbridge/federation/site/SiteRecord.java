package org.twinbridge.federation.site;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * One record a site holds, as its journal hands it to the decision point. {@link #toString()} prints no content.
 *
 * @param patientKey the site's internal patient key; never leaves the site
 * @param resource   the record as stored
 * @param labels     sensitivity labels it carries, possibly empty
 * @param source     the connector that delivered it (consents scoped to a custodian need it); empty for records
 *                   read from files
 */
public record SiteRecord(String patientKey, Resource resource, Set<String> labels, Optional<String> source) {

    public SiteRecord {
        Objects.requireNonNull(patientKey, "patientKey");
        Objects.requireNonNull(resource, "resource");
        labels = Set.copyOf(labels);
        Objects.requireNonNull(source, "source");
    }

    /** A record of no particular source (files, tests). */
    public SiteRecord(String patientKey, Resource resource, Set<String> labels) {
        this(patientKey, resource, labels, Optional.empty());
    }

    @Override
    public String toString() {
        return "SiteRecord[type=" + resource.fhirType() + "]";
    }
}
