package org.twinbridge.runtime.plugin;

import java.util.Locale;
import java.util.Optional;

/**
 * What a plugin jar provides, as its manifest's {@code Plugin-Kind} declares it. Read before any of the jar's code
 * runs, so that the node knows how to load it (and {@code plugin list} can say) without trusting the code.
 */
public enum PluginKind {
    /** Twin models ({@code TwinModel}, {@code AggregateTwinModel}): run in a sandboxed process of their own. */
    TWIN,
    /** Source connectors ({@code SourceConnector}): run inside the node, in a class loader of their own. */
    CONNECTOR;

    /** The kind a manifest value names; no value means {@link #TWIN}, as every jar before connector plugins. */
    static Optional<PluginKind> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(TWIN);
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "twin":
                return Optional.of(TWIN);
            case "connector":
                return Optional.of(CONNECTOR);
            default:
                return Optional.empty();
        }
    }

    /** As {@code plugin list} and the API show it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
