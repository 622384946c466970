package org.twinbridge.policy.enforcement;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;

/**
 * Element paths as obligations write them: dot-separated FHIR element names relative to the resource, with
 * choice elements written {@code value[x]}. Names are matched against the R4 model's {@link Base#children()}
 * property names, which use the same spelling, so one path syntax serves projection, redaction and
 * generalisation.
 */
final class ElementPaths {

    private static final Pattern SEGMENT = Pattern.compile("[a-z][A-Za-z0-9]*(\\[x])?");

    private ElementPaths() {
    }

    /** The segments of a path, or TB-ENFORCE-002 if it is not a well-formed element path. */
    static List<String> segments(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("TB-ENFORCE-002 empty element path ''; write FHIR element names "
                    + "relative to the resource, such as 'code' or 'component.value[x]'");
        }
        List<String> segments = List.of(path.split("\\.", -1));
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("TB-ENFORCE-002 malformed element path '" + path + "': segment '"
                        + segment + "' is not an element name; use dot-separated names such as 'name.family', "
                        + "and write choice elements as 'value[x]' rather than 'valueQuantity'");
            }
        }
        return segments;
    }

    /** The child property called exactly {@code name}, or null if {@code base} has no such child. */
    static Property child(Base base, String name) {
        for (Property property : base.children()) {
            if (property.getName().equals(name)) {
                return property;
            }
        }
        return null;
    }

    /** The values of the child property called {@code name}, or none if {@code base} has no such child. */
    static List<Base> childValues(Base base, String name) {
        Property property = child(base, name);
        return property == null ? List.of() : property.getValues();
    }

    /** Every value found at {@code path} below {@code root}, across all repetitions. */
    static List<Base> valuesAt(Base root, String path) {
        List<Base> current = List.of(root);
        for (String segment : segments(path)) {
            List<Base> next = new ArrayList<>();
            for (Base base : current) {
                next.addAll(childValues(base, segment));
            }
            current = next;
        }
        return current;
    }

    /**
     * {@code base} and everything below it, parents before children. Element and resource ids are left out: they
     * name nodes rather than carry content, and the output's id is set by the enforcer.
     */
    static List<Base> selfAndDescendants(Base base) {
        List<Base> found = new ArrayList<>();
        collect(base, found);
        return found;
    }

    private static void collect(Base base, List<Base> found) {
        found.add(base);
        for (Property property : base.children()) {
            if (property.getName().equals("id")) {
                continue;
            }
            for (Base value : property.getValues()) {
                if (value != null) {
                    collect(value, found);
                }
            }
        }
    }

    /** Sees one value with the element that holds it and the name it is held under. */
    @FunctionalInterface
    interface Visitor {
        void visit(Base parent, String name, Base value);
    }

    /** Calls {@code visitor} for every value strictly below {@code root}, parents before children. */
    static void visit(Base root, Visitor visitor) {
        for (Property property : root.children()) {
            for (Base value : property.getValues()) {
                if (value != null) {
                    visitor.visit(root, property.getName(), value);
                    visit(value, visitor);
                }
            }
        }
    }

    /** Every value at or below each value found at {@code path}. */
    static List<Base> valuesUnder(Base root, String path) {
        List<Base> found = new ArrayList<>();
        for (Base value : valuesAt(root, path)) {
            found.addAll(selfAndDescendants(value));
        }
        return found;
    }

    /**
     * Checks that every path names elements that exist in the model for {@code prototype}'s type (a fresh
     * instance, which this method may populate). Choice elements are followed into each of their types; below a
     * resource-typed element (a Bundle entry, say) the rest of the path is not checked.
     */
    static void requireKnown(FhirContext fhirContext, Base prototype, Collection<String> paths) {
        for (String path : new TreeSet<>(paths)) {
            List<Base> candidates = List.of(prototype);
            String parentType = prototype.fhirType();
            for (String segment : segments(path)) {
                List<Base> next = new ArrayList<>();
                boolean unchecked = false;
                for (Base candidate : candidates) {
                    Property property = child(candidate, segment);
                    if (property != null) {
                        unchecked |= instancesOf(fhirContext, candidate, property, next);
                    }
                }
                if (unchecked) {
                    break;
                }
                if (next.isEmpty()) {
                    throw new IllegalArgumentException("TB-ENFORCE-002 unknown element path '" + path + "' for "
                            + prototype.fhirType() + ": '" + segment + "' is not an element of " + parentType
                            + "; paths use FHIR R4 element names, with choice elements written like 'value[x]'");
                }
                candidates = next;
                parentType = parentType + "." + segment;
            }
        }
    }

    /** Adds empty instances of the property's possible types; true if they cannot be known (resources, '*'). */
    private static boolean instancesOf(FhirContext fhirContext, Base owner, Property property, List<Base> into) {
        String name = property.getName();
        if (!name.endsWith("[x]")) {
            try {
                into.add(owner.makeProperty(name.hashCode(), name));
                return false;
            } catch (FHIRException abstractType) {
                return true;
            }
        }
        String types = property.getTypeCode().replaceAll("\\([^)]*\\)", "");
        if (types.contains("*")) {
            return true;
        }
        for (String type : types.split("\\|")) {
            BaseRuntimeElementDefinition<?> definition = fhirContext.getElementDefinition(type.trim());
            if (definition != null) {
                into.add((Base) definition.newInstance());
            }
        }
        return false;
    }

    /** An allow-list as a tree of element names; a node is {@code allowed} when its exact path is listed. */
    static final class Tree {
        private final Map<String, Tree> children = new LinkedHashMap<>();
        private boolean allowed;

        static Tree of(Set<String> paths) {
            Tree root = new Tree();
            for (String path : paths) {
                Tree node = root;
                for (String segment : segments(path)) {
                    node = node.children.computeIfAbsent(segment, name -> new Tree());
                }
                node.allowed = true;
            }
            return root;
        }

        /** The subtree for a child element, or null if no allowed path goes through it. */
        Tree child(String name) {
            return children.get(name);
        }

        boolean allowed() {
            return allowed;
        }
    }
}
