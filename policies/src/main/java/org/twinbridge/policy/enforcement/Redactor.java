package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.PrimitiveType;

/**
 * Replaces text at the listed paths, and everything below them, with {@link Obligation.Redact#MARKER}. Only
 * free-text types are touched (string, markdown, uri, url): codes, ids, canonicals, numbers and dates cannot
 * hold the marker and still be valid FHIR, and are rarely free text. To remove a value entirely, leave it out of
 * the allow-list instead.
 */
final class Redactor {

    private static final Set<String> TEXT_TYPES = Set.of("string", "markdown", "uri", "url");

    private Redactor() {
    }

    static void redact(Base resource, Set<String> paths) {
        for (String path : paths) {
            for (Base node : ElementPaths.valuesUnder(resource, path)) {
                if (node instanceof PrimitiveType<?> text && TEXT_TYPES.contains(text.fhirType()) && text.hasValue()) {
                    text.setValueAsString(Obligation.Redact.MARKER);
                }
            }
        }
    }
}
