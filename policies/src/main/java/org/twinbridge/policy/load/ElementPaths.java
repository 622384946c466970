package org.twinbridge.policy.load;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks element paths such as {@code component.value[x]} against the FHIR R4 definition of a resource type. A
 * path may go on below a choice element ({@code "value[x].text"}, {@code "medication[x].coding.display"}) when
 * at least one of the choice's types has that child; it then names that child in whichever type the record
 * uses.
 */
final class ElementPaths {

    private ElementPaths() {
    }

    /** Empty if the path is an element of the type, else why not (no PHI: paths come from policy files). */
    static Optional<String> problem(FhirContext fhir, String resourceType, String path) {
        List<BaseRuntimeElementCompositeDefinition<?>> current = List.of(fhir.getResourceDefinition(resourceType));
        String[] parts = path.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i];
            if (name.isEmpty()) {
                return Optional.of("'" + path + "' has an empty segment");
            }
            List<BaseRuntimeElementCompositeDefinition<?>> next = new ArrayList<>();
            boolean found = false;
            for (BaseRuntimeElementCompositeDefinition<?> definition : current) {
                BaseRuntimeChildDefinition child = definition.getChildByName(name);
                if (child == null) {
                    continue;
                }
                found = true;
                if (child instanceof RuntimeChildChoiceDefinition choice) {
                    for (String choiceName : choice.getValidChildNames()) {
                        if (choice.getChildByName(choiceName) instanceof BaseRuntimeElementCompositeDefinition<?> c) {
                            next.add(c);
                        }
                    }
                } else if (child.getChildByName(name) instanceof BaseRuntimeElementCompositeDefinition<?> c) {
                    next.add(c);
                }
            }
            if (!found) {
                return Optional.of("'" + name + "' is not an element of " + describe(resourceType, parts, i));
            }
            if (i == parts.length - 1) {
                return Optional.empty();
            }
            if (next.isEmpty()) {
                return Optional.of("'" + name + "' of " + describe(resourceType, parts, i) + " has no children");
            }
            current = next;
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
