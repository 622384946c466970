package org.twinbridge.federation.site;

import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * One record a site holds, as its journal would hand it to the decision point. {@link #toString()} prints no
 * content.
 *
 * @param patientKey the site's internal patient key; never leaves the site
 * @param resource   the record as stored
 * @param labels     sensitivity labels it carries, possibly empty
 */
public record SiteRecord(String patientKey, Resource resource, Set<String> labels) {

    public SiteRecord {
        Objects.requireNonNull(patientKey, "patientKey");
        Objects.requireNonNull(resource, "resource");
        labels = Set.copyOf(labels);
    }

    @Override
    public String toString() {
        return "SiteRecord[type=" + resource.fhirType() + "]";
    }
}
