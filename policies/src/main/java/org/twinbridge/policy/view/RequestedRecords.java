package org.twinbridge.policy.view;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.sdk.model.DataRequest;

/**
 * Whether a record is one a plugin's manifest asks for: its type, and, when the manifest names codes, one of
 * them. A record outside the request is never offered to the plugin, whatever policy would say. Used by the
 * node's dispatch and by the vendor test harness alike.
 */
public final class RequestedRecords {

    /**
     * The concept a record is "about" lives in code for most types, in medication[x] for medication records
     * (insulin doses, chemotherapy) and in vaccineCode for immunisations.
     */
    private static final List<String> CODED_ELEMENTS = List.of("code", "medication[x]", "vaccineCode");

    private RequestedRecords() {
    }

    /** True if {@code request} asks for this kind of record. */
    public static boolean wants(DataRequest request, Resource resource) {
        if (!request.wantsType(resource.fhirType())) {
            return false;
        }
        if (request.codes().isEmpty()) {
            return true;
        }
        return CODED_ELEMENTS.stream()
                .map(resource::getNamedProperty)
                .filter(Objects::nonNull)
                .flatMap(property -> property.getValues().stream())
                .filter(CodeableConcept.class::isInstance)
                .map(CodeableConcept.class::cast)
                .flatMap(cc -> cc.getCoding().stream())
                .anyMatch(c -> request.codes().stream()
                        .anyMatch(f -> f.system().equals(c.getSystem()) && f.code().equals(c.getCode())));
    }
}
