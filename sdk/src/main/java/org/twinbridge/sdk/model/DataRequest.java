package org.twinbridge.sdk.model;

import java.util.Set;

/**
 * The data a plugin asks for in its manifest. Policy decides what it actually gets; a request that exceeds
 * the grant still loads, and the node reports the gap.
 *
 * @param resourceTypes FHIR resource type names, for example {@code Observation}; never empty
 * @param codes         codes of interest (for example LOINC vital signs); empty means any code
 * @param purposes      HL7 v3 PurposeOfUse codes the plugin acts under, for example {@code TREAT}; never empty
 */
public record DataRequest(Set<String> resourceTypes, Set<CodeFilter> codes, Set<String> purposes) {

    public DataRequest {
        resourceTypes = Set.copyOf(resourceTypes);
        codes = Set.copyOf(codes);
        purposes = Set.copyOf(purposes);
        if (resourceTypes.isEmpty()) {
            throw new IllegalArgumentException("a data request names at least one resource type");
        }
        if (purposes.isEmpty()) {
            throw new IllegalArgumentException("a data request names at least one purpose of use, e.g. TREAT");
        }
    }

    /** True if the request covers this resource type. */
    public boolean wantsType(String resourceType) {
        return resourceTypes.contains(resourceType);
    }
}
