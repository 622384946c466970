package org.twinbridge.runtime.dispatch;

import java.util.Objects;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Property;
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
        Property code = resource.getNamedProperty("code");
        if (code == null) {
            return false;
        }
        return code.getValues().stream()
                .filter(CodeableConcept.class::isInstance)
                .map(CodeableConcept.class::cast)
                .flatMap(cc -> cc.getCoding().stream())
                .anyMatch(c -> request.codes().stream()
                        .anyMatch(f -> f.system().equals(c.getSystem()) && f.code().equals(c.getCode())));
    }
}
