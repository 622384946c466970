package org.twinbridge.runtime.dispatch;

import java.util.Objects;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * A loaded plugin with the purpose of use it acts under on this node.
 *
 * @param purpose HL7 v3 PurposeOfUse code from {@code policies.purposes}, or the manifest's first purpose
 */
public record Subscriber(TwinModel model, PluginManifest manifest, String purpose) {

    private static final java.util.List<String> CODED_ELEMENTS = java.util.List.of("code", "medication[x]",
            "vaccineCode");

    public Subscriber {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(purpose, "purpose");
    }

    public String id() {
        return manifest.id();
    }

    /** True if the manifest asks for this kind of record (type, and code when the manifest names codes). */
    public boolean wants(Resource resource) {
        DataRequest request = manifest.request();
        if (!request.wantsType(resource.fhirType())) {
            return false;
        }
        if (request.codes().isEmpty()) {
            return true;
        }
        // The concept a record is "about" lives in code for most types, in medication[x] for medication
        // records (insulin doses, chemotherapy) and in vaccineCode for immunisations.
        return CODED_ELEMENTS.stream()
                .map(resource::getNamedProperty)
                .filter(java.util.Objects::nonNull)
                .flatMap(property -> property.getValues().stream())
                .filter(CodeableConcept.class::isInstance)
                .map(CodeableConcept.class::cast)
                .flatMap(cc -> cc.getCoding().stream())
                .anyMatch(c -> request.codes().stream()
                        .anyMatch(f -> f.system().equals(c.getSystem()) && f.code().equals(c.getCode())));
    }
}
