package org.twinbridge.runtime.sink;

import java.util.Objects;
import org.hl7.fhir.r4.model.Resource;

/**
 * One plugin output on its way to one sink. {@link #toString()} prints ids only, never the resource.
 *
 * @param outputId     the idempotency key: stable for the output on this node, the same on every retry, so a
 *                     receiver can drop duplicates (at-least-once delivery)
 * @param pluginId     the plugin that produced it
 * @param kind         OBSERVATION, RISK_ASSESSMENT or ALERT
 * @param summary      the plugin's one-line summary (no PHI by the SDK's contract)
 * @param resource     the FHIR resource to send: about the subject pseudonym, or re-identified for a TREAT sink
 * @param reidentified whether {@code resource} names the patient
 */
public record SinkMessage(String outputId, String pluginId, String kind, String summary, Resource resource,
        boolean reidentified) {

    public SinkMessage {
        Objects.requireNonNull(outputId, "outputId");
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(resource, "resource");
    }

    @Override
    public String toString() {
        return "SinkMessage[" + outputId + ", " + pluginId + ", " + kind + ", reidentified=" + reidentified + "]";
    }
}
