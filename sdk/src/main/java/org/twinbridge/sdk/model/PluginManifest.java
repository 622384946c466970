package org.twinbridge.sdk.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a plugin is and what it asks for. The runtime checks that {@link #id()} equals the jar's pf4j
 * {@code Plugin-Id}.
 *
 * @param id          lower-case letters, digits and dashes, 2 to 63 characters, for example {@code news2-twin}
 * @param version     the plugin's version, for example {@code 1.2.0}
 * @param vendor      who ships it
 * @param description one sentence for operators
 * @param request     the data it asks for
 * @param outputs     the kinds of output it may emit
 */
public record PluginManifest(
        String id, String version, String vendor, String description, DataRequest request, List<OutputKind> outputs) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    public PluginManifest {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "plugin id '" + id + "' is invalid: use 2-63 lower-case letters, digits and dashes");
        }
        AuthorisedRecord.requireText(version, "version");
        AuthorisedRecord.requireText(vendor, "vendor");
        AuthorisedRecord.requireText(description, "description");
        Objects.requireNonNull(request, "request");
        outputs = List.copyOf(outputs);
    }
}
