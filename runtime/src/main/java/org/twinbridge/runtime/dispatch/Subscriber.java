package org.twinbridge.runtime.dispatch;

import java.util.Objects;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.view.RequestedRecords;
import org.twinbridge.sdk.TwinModel;
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
        return RequestedRecords.wants(manifest.request(), resource);
    }
}
