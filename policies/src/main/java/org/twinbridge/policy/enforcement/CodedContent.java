package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;

/**
 * Applies {@link Obligation.CodedOnly}: below each path, only coded content stays. Every free-text value (string,
 * markdown, url; {@code text}, {@code display}, {@code valueString}, ...) is removed, except the references and
 * identifier values that pseudonymisation rewrites; a quantity's unit becomes its UCUM code, or is removed.
 */
final class CodedContent {

    private CodedContent() {
    }

    static void apply(Base view, Set<String> paths, boolean everywhere) {
        if (everywhere) {
            strip(null, "", view);
            return;
        }
        for (String path : paths) {
            List<String> segments = ElementPaths.segments(path);
            String last = segments.get(segments.size() - 1);
            List<Base> parents = segments.size() == 1 ? List.of(view)
                    : ElementPaths.valuesAt(view, String.join(".", segments.subList(0, segments.size() - 1)));
            for (Base parent : parents) {
                for (Base value : ElementPaths.childValues(parent, last)) {
                    strip(parent, last, value);
                }
            }
        }
    }

    private static void strip(Base parent, String name, Base value) {
        clean(parent, name, value);
        ElementPaths.visit(value, CodedContent::clean);
    }

    private static void clean(Base parent, String name, Base value) {
        if (parent instanceof Quantity && name.equals("unit")) {
            return; // rewritten with its quantity, which is visited first
        }
        if (value instanceof PrimitiveType<?> primitive
                && AllowListProjector.FREE_TEXT_TYPES.contains(primitive.fhirType())
                && (parent == null || !AllowListProjector.isStructure(parent, name))) {
            primitive.setValueAsString(null);
        } else if (value instanceof Quantity quantity) {
            quantity.setUnit(Ages.codedUnit(quantity));
        }
    }
}
