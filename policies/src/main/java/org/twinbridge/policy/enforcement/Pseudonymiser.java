package org.twinbridge.policy.enforcement;

import java.util.List;

import org.twinbridge.policy.model.Obligation;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Rewrites identifiers and references, the two places a record points at people and other records.
 *
 * <p>Always, whether or not pseudonyms are asked for: reference {@code display} text is removed (it often holds
 * a name), and contained references ({@code #id}) are removed because contained resources never survive
 * projection and the reference could no longer resolve.
 *
 * <p>With pseudonyms: an identifier's value becomes {@code pseudonym(system|value)} under
 * {@link #PSEUDONYM_SYSTEM}, and its {@code assigner} and {@code type.text} are removed ({@code use},
 * {@code type.coding} and {@code period} stay). An identifier without a value keeps its system, which names an
 * issuer rather than a person. A literal reference, relative or absolute, is passed whole to the context's
 * {@link ReferenceMapper}; a logical reference ({@code Reference.identifier}) is removed, and a redacted one is
 * left as the marker.
 */
final class Pseudonymiser {

    /** The identifier system of every pseudonymised identifier. */
    static final String PSEUDONYM_SYSTEM = "urn:twinbridge:pseudonym";

    private Pseudonymiser() {
    }

    /** Cleans references, and pseudonymises identifiers and references when {@code context} is non-null. */
    static void apply(Base resource, EnforcementContext context) {
        // One walk of the view for both passes (walking HAPI's model is most of this class's cost). The identifier
        // pass also visits identifiers the reference pass has just removed from references: they are detached from
        // the view by then, so rewriting them changes nothing the recipient gets, and the reference pass adds no
        // identifier of its own; the view comes out as if it had been walked again.
        List<Base> nodes = ElementPaths.selfAndDescendants(resource);
        for (Base node : nodes) {
            if (node instanceof Reference reference) {
                rewrite(reference, context);
            }
        }
        if (context == null) {
            return;
        }
        for (Base node : nodes) {
            if (node instanceof Identifier identifier) {
                pseudonymise(identifier, context);
            }
        }
    }

    private static void rewrite(Reference reference, EnforcementContext context) {
        reference.setDisplay(null);
        String literal = reference.getReference();
        if (literal != null && literal.startsWith("#")) {
            reference.setReference(null);
        }
        if (context == null) {
            return;
        }
        reference.setIdentifier(null);
        if (reference.hasReference() && !Obligation.Redact.MARKER.equals(literal)) {
            reference.setReference(context.references().map(literal));
        }
    }

    private static void pseudonymise(Identifier identifier, EnforcementContext context) {
        if (identifier.hasValue()) {
            String system = identifier.hasSystem() ? identifier.getSystem() : "";
            identifier.setValue(context.pseudonym(system + "|" + identifier.getValue()));
            identifier.setSystem(PSEUDONYM_SYSTEM);
        }
        identifier.setAssigner(null);
        if (identifier.hasType()) {
            identifier.getType().setText(null);
        }
    }
}
