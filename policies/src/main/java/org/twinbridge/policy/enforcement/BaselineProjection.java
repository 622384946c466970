package org.twinbridge.policy.enforcement;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.instance.model.api.IBase;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * The projection every permitted record gets until a policy names its own obligations: it works on a copy,
 * drops the elements that most often carry direct identifiers or free text (identifiers, narrative,
 * contained resources, extensions, notes, reference displays and types, element ids, meta except the security
 * labels, which are rebuilt from their codes), replaces every
 * literal reference with a pseudonym, and reduces a Patient to gender, birth year and whether deceased.
 *
 * <p>This is a fixed deny-list for clinical resources, so it is deliberately conservative; allow-list
 * projection per element path comes with the policy engine. Thread-safe.
 */
public final class BaselineProjection {

    private static final List<String> DROPPED_LIST_ELEMENTS = List.of("identifier", "note");
    private final FhirTerser terser;

    public BaselineProjection(FhirContext fhirContext) {
        this.terser = fhirContext.newTerser();
    }

    /** Returns a new, projected resource; the source is not modified. */
    public Resource project(Resource source, String resourceId, ReferenceMapper references) {
        if (source instanceof Patient patient) {
            return projectPatient(patient, resourceId);
        }
        Resource copy = source.copy();
        copy.setId(resourceId);
        copy.setMeta(null);
        SecurityLabels.rebuild(source, copy, java.util.Set.of());
        copy.setImplicitRules(null);
        copy.setLanguage(null);
        if (copy instanceof DomainResource domain) {
            domain.setText(null);
            domain.getContained().clear();
            domain.getExtension().clear();
            domain.getModifierExtension().clear();
        }
        DROPPED_LIST_ELEMENTS.forEach(name -> clearElement(copy, name));
        for (Element element : terser.getAllPopulatedChildElementsOfType(copy, Element.class)) {
            element.setId(null);
            element.getExtension().clear();
            if (element instanceof BackboneElement backbone) {
                backbone.getModifierExtension().clear();
            }
            DROPPED_LIST_ELEMENTS.forEach(name -> clearElement(element, name));
        }
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(copy, Reference.class)) {
            String literal = reference.getReference();
            reference.setDisplay(null);
            reference.setType(null);
            reference.setIdentifier(null);
            reference.setReference(literal == null || literal.startsWith("#") ? null : references.map(literal));
        }
        return copy;
    }

    private static Patient projectPatient(Patient source, String resourceId) {
        Patient view = new Patient();
        view.setId(resourceId);
        SecurityLabels.rebuild(source, view, java.util.Set.of());
        view.setGender(source.getGender());
        if (source.hasBirthDate()) {
            view.setBirthDateElement(new DateType(source.getBirthDate(), TemporalPrecisionEnum.YEAR));
        }
        if (source.hasDeceased()) {
            boolean deceased = source.hasDeceasedDateTimeType() || source.getDeceasedBooleanType().booleanValue();
            view.setDeceased(new org.hl7.fhir.r4.model.BooleanType(deceased));
        }
        return view;
    }

    /** Clears a list element (or nulls a single one) by name, on any FHIR type that has it. */
    private static void clearElement(Base base, String name) {
        if (base.getNamedProperty(name) == null) {
            return;
        }
        String getter = "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
        try {
            Method method = base.getClass().getMethod(getter);
            Object value = method.invoke(base);
            if (value instanceof Collection<?> collection) {
                collection.clear();
            } else if (value instanceof IBase) {
                base.getClass().getMethod("set" + getter.substring(3), method.getReturnType())
                        .invoke(base, (Object) null);
            }
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot clear element '" + name + "' of " + base.fhirType(), e);
        }
    }
}
