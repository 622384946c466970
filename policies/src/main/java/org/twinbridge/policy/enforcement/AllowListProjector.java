package org.twinbridge.policy.enforcement;

import java.lang.reflect.InvocationTargetException;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/**
 * Builds a new resource from the allowed element paths of a source, starting from an empty instance of the same
 * type. Nothing is copied unless a path allows it, so elements the model adds later, unknown extensions and
 * parser side data (XML comments) never reach the output. The source is only read.
 */
final class AllowListProjector {

    /** Resource-level elements that never survive, whatever the allow-list says. */
    private static final Set<String> RESOURCE_NEVER_COPIED = Set.of("text", "contained", "implicitRules", "language");
    private static final Set<String> EXTENSIONS = Set.of("extension", "modifierExtension");

    private AllowListProjector() {
    }

    static Resource project(Resource source, ElementPaths.Tree allowList) {
        Resource projected = (Resource) emptyLike(source);
        copyChildren(source, projected, allowList, false);
        return projected;
    }

    /**
     * Copies the children of {@code from} that {@code node} allows into {@code to}. Under an allowed path
     * ({@code whole}) every child is copied except extensions, which need a path of their own.
     */
    private static void copyChildren(Base from, Base to, ElementPaths.Tree node, boolean whole) {
        for (Property property : from.children()) {
            String name = property.getName();
            if (from instanceof Resource && RESOURCE_NEVER_COPIED.contains(name)) {
                continue;
            }
            if (from instanceof Resource resource && name.equals("meta")) {
                copySecurityLabels(resource, (Resource) to);
                continue;
            }
            ElementPaths.Tree child = node == null ? null : node.child(name);
            if (child == null && (!whole || EXTENSIONS.contains(name))) {
                continue;
            }
            boolean childWhole = whole || child.allowed();
            for (Base value : property.getValues()) {
                Base copy = value == null ? null : project(value, child, childWhole);
                if (copy != null && !copy.isEmpty()) {
                    to.setProperty(name, copy);
                }
            }
        }
    }

    private static Base project(Base value, ElementPaths.Tree node, boolean whole) {
        if (value.fhirType().equals("xhtml")) {
            return null;
        }
        if (value instanceof PrimitiveType<?> primitive) {
            return projectPrimitive(primitive, node, whole);
        }
        Base copy = emptyLike(value);
        copyChildren(value, copy, node, whole);
        return copy;
    }

    /** A primitive keeps its value only when its own path is allowed; its extensions follow the usual rule. */
    private static Base projectPrimitive(PrimitiveType<?> value, ElementPaths.Tree node, boolean whole) {
        PrimitiveType<?> copy = (PrimitiveType<?>) value.copy();
        copy.setId(null);
        copy.getExtension().clear();
        copy.getFormatCommentsPre().clear();
        copy.getFormatCommentsPost().clear();
        if (!whole) {
            copy.setValueAsString(null);
        }
        copyChildren(value, copy, node, whole);
        return copy;
    }

    /** Security labels always travel with the record: recipients must honour them. */
    private static void copySecurityLabels(Resource from, Resource to) {
        if (!from.hasMeta()) {
            return;
        }
        Meta meta = new Meta();
        for (Coding label : from.getMeta().getSecurity()) {
            Base copy = project(label, null, true);
            if (!copy.isEmpty()) {
                meta.addSecurity((Coding) copy);
            }
        }
        if (!meta.isEmpty()) {
            to.setMeta(meta);
        }
    }

    static Base emptyLike(Base value) {
        try {
            return value.getClass().getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException
                 | NoSuchMethodException e) {
            throw new IllegalStateException("TB-ENFORCE-010 cannot create an empty " + value.fhirType()
                    + " (" + value.getClass().getName() + ") to project into", e);
        }
    }
}
