package org.twinbridge.policy.load;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import java.util.Optional;

/** Checks element paths such as {@code component.value[x]} against the FHIR R4 definition of a resource type. */
final class ElementPaths {

    private ElementPaths() {
    }

    /** Empty if the path is an element of the type, else why not (no PHI: paths come from policy files). */
    static Optional<String> problem(FhirContext fhir, String resourceType, String path) {
        BaseRuntimeElementCompositeDefinition<?> current = fhir.getResourceDefinition(resourceType);
        String[] parts = path.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i];
            if (name.isEmpty()) {
                return Optional.of("'" + path + "' has an empty segment");
            }
            BaseRuntimeChildDefinition child = current.getChildByName(name);
            if (child == null) {
                return Optional.of("'" + name + "' is not an element of " + describe(resourceType, parts, i));
            }
            if (i == parts.length - 1) {
                return Optional.empty();
            }
            if (child instanceof RuntimeChildChoiceDefinition) {
                return Optional.of("'" + name + "' is a choice of types; list it whole, not its children");
            }
            BaseRuntimeElementDefinition<?> element = child.getChildByName(name);
            if (!(element instanceof BaseRuntimeElementCompositeDefinition<?> composite)) {
                return Optional.of("'" + name + "' of " + describe(resourceType, parts, i) + " has no children");
            }
            current = composite;
        }
        return Optional.empty();
    }

    private static String describe(String resourceType, String[] parts, int upTo) {
        StringBuilder out = new StringBuilder(resourceType);
        for (int i = 0; i < upTo; i++) {
            out.append('.').append(parts[i]);
        }
        return out.toString();
    }
}
