package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import java.lang.reflect.InvocationTargetException;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Builds a new resource from the allowed element paths of a source, starting from an empty instance of the same
 * type. Nothing is copied unless a path allows it, so elements the model adds later, unknown extensions and
 * parser side data (XML comments) never reach the output. The source is only read.
 *
 * <p>An allowed path keeps its element's <em>structure</em>, not whatever text a sender typed inside it. Below
 * an allowed path, these survive only where a path names them exactly:
 * <ul>
 *   <li>free text: every {@code string}, {@code markdown} and {@code url} value ({@code code.text},
 *       {@code coding.display}, {@code name.family}, {@code referenceRange.text}, ...), except the two strings
 *       that are structure and that pseudonymisation rewrites, {@code Reference.reference} and
 *       {@code Identifier.value}. {@code Quantity.unit} is replaced by its UCUM code when the quantity is coded
 *       in UCUM or its unit is a time unit in words ({@code years} becomes UCUM {@code a}), and dropped
 *       otherwise;
 *   <li>element ids ({@code code.id}, {@code coding.id}, {@code subject.id}, ...), which a sender chooses
 *       freely;
 *   <li>{@code Reference.type};
 *   <li>extensions.
 * </ul>
 * A named string path ({@code code.text}, {@code "value[x]"} holding a valueString) keeps its text unless a
 * {@link Obligation.CodedOnly} covers it. Each child of {@code meta} passes only where a path names it
 * ({@code meta.tag}), never because {@code meta} is listed; {@code meta.security} is never copied, and
 * {@link SecurityLabels} rebuilds it from codes alone.
 */
final class AllowListProjector {

    /** Resource-level elements that never survive, whatever the allow-list says. */
    private static final Set<String> RESOURCE_NEVER_COPIED = Set.of("text", "contained", "implicitRules", "language");
    private static final Set<String> EXTENSIONS = Set.of("extension", "modifierExtension");
    /** The FHIR primitive types that carry text a person typed. */
    static final Set<String> FREE_TEXT_TYPES = Set.of("string", "markdown", "url");

    private AllowListProjector() {
    }

    static Resource project(Resource source, ElementPaths.Tree allowList) {
        Resource projected = (Resource) emptyLike(source);
        copyChildren(source, projected, allowList, false);
        return projected;
    }

    /**
     * Copies the children of {@code from} that {@code node} allows into {@code to}. Under an allowed path
     * ({@code whole}) every child is copied except extensions, element ids and free text, which need a path of
     * their own.
     */
    private static void copyChildren(Base from, Base to, ElementPaths.Tree node, boolean whole) {
        for (Property property : from.children()) {
            String name = property.getName();
            if (from instanceof Resource && RESOURCE_NEVER_COPIED.contains(name)) {
                continue;
            }
            ElementPaths.Tree child = node == null ? null : node.child(name);
            boolean named = child != null && child.allowed();
            if (!named && needsName(from, name)) {
                continue;
            }
            if (child == null && (!whole || EXTENSIONS.contains(name))) {
                continue;
            }
            boolean childWhole = whole || named;
            for (Base value : property.getValues()) {
                Base copy = value == null ? null : project(from, name, value, child, childWhole, named);
                if (copy != null && !copy.isEmpty()) {
                    to.setProperty(name, copy);
                }
            }
        }
        if (from instanceof Quantity && !named(node, "unit") && whole) {
            Quantity target = (Quantity) to;
            target.setUnit(((Quantity) from).getUnit());
            target.setUnit(Ages.codedUnit(target));
        }
    }

    /** Children that pass only when their exact path is listed, however much of their parent is allowed. */
    private static boolean needsName(Base parent, String name) {
        if (name.equals("id")) {
            return !(parent instanceof Resource);
        }
        if (parent instanceof Resource && name.equals("meta")) {
            return false;
        }
        return parent instanceof Meta
                || parent instanceof Reference && name.equals("type")
                || parent instanceof Quantity && name.equals("unit");
    }

    private static boolean named(ElementPaths.Tree node, String name) {
        return node != null && node.child(name) != null && node.child(name).allowed();
    }

    private static Base project(Base parent, String name, Base value, ElementPaths.Tree node, boolean whole,
            boolean named) {
        if (value.fhirType().equals("xhtml")) {
            return null;
        }
        if (value instanceof PrimitiveType<?> primitive) {
            boolean text = FREE_TEXT_TYPES.contains(primitive.fhirType()) && !isStructure(parent, name);
            return projectPrimitive(primitive, node, whole && (named || !text));
        }
        if (parent instanceof Resource && value instanceof Meta) {
            Meta copy = new Meta();
            copyChildren(value, copy, node, whole);
            copy.getSecurity().clear();
            return copy;
        }
        Base copy = emptyLike(value);
        copyChildren(value, copy, node, whole);
        return copy;
    }

    /** The strings that identify rather than describe; pseudonymisation rewrites both. */
    static boolean isStructure(Base parent, String name) {
        return parent instanceof Reference && name.equals("reference")
                || parent instanceof Identifier && name.equals("value");
    }

    /** A primitive keeps its value only when it may; its extensions follow the usual rule. */
    private static Base projectPrimitive(PrimitiveType<?> value, ElementPaths.Tree node, boolean keepValue) {
        PrimitiveType<?> copy = (PrimitiveType<?>) value.copy();
        copy.setId(null);
        copy.getExtension().clear();
        copy.getFormatCommentsPre().clear();
        copy.getFormatCommentsPost().clear();
        if (!keepValue) {
            copy.setValueAsString(null);
        }
        copyChildren(value, copy, node, false);
        return copy;
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
