package org.twinbridge.runtime.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A connector type that a jar in the plugin directory declares in its manifest ({@code Connector-Types}), read
 * without running any of its code, so the configuration can name it before the node starts.
 *
 * @param type     the connector type, e.g. {@code csv-lab}
 * @param pluginId the jar's {@code Plugin-Id}
 * @param jar      the jar's file name
 * @param refusal  why the jar would be refused (bad signature, untrusted signer, ...); empty if it would load
 */
public record DeclaredConnectorType(String type, String pluginId, String jar, Optional<String> refusal) {

    public DeclaredConnectorType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(refusal, "refusal");
    }
}
