package org.twinbridge.policy.examples;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Fills a record, in place, in every position the FHIR R4 model gives it down to a depth, the way an attacker
 * who controls a sender would: a unique canary in every string-bearing position (string, markdown, url, element
 * ids, {@code Reference.type}, narrative, meta, an extension on every element near the root, a contained
 * resource), a full date or dateTime in every date position and an instant in every instant, and an age above 89
 * in every quantity, in a unit that changes with the variant (years, months, weeks, days, "years" in words, or
 * no unit). Observations also get codings that make their value an age, or a birth date.
 *
 * <p>Values already present are kept (strings get the canary appended), so a record still meets the conditions
 * its rule reads. Choice elements take the variant's type. Which canary went where is recorded as an element
 * path in the policy syntax ({@code value[x].coding.display}), so a test can tell a canary a rule names from one
 * that leaked.
 */
final class RecordSaturator {

    static final String CANARY_PREFIX = "QZ";
    static final int VARIANTS = 12;
    /** LOINC age and birth-date codes the enforcer must recognise. */
    static final String AGE_CODE = "30525-0";
    static final String BIRTH_DATE_CODE = "21112-8";

    private static final Set<String> SKIPPED = Set.of("contained", "extension", "modifierExtension", "text");
    private static final List<String> DATES = List.of("1931-03-04", "2019-11-12", "1931-03", "1931");
    private static final List<String> DATE_TIMES = List.of("1931-03-04T05:06:07+02:00", "2019-11-12T13:14:15.678Z",
            "1931-03-04", "2019-11", "1931");
    private static final List<String> INSTANTS = List.of("1931-03-04T05:06:07.123Z", "2019-11-12T13:14:15+01:00");
    /** Ages above 89 years in each unit form: code, unit, value. */
    private static final List<String[]> AGES = List.of(new String[] {"a", null, "97"},
            new String[] {"mo", null, "1200"}, new String[] {"wk", null, "5000"}, new String[] {"d", null, "36000"},
            new String[] {null, "years", "97"}, new String[] {null, null, "97"});

    private final FhirContext fhir;
    private final int variant;
    private final int maxDepth;
    private final Map<String, String> canaries = new LinkedHashMap<>();
    private int counter;

    RecordSaturator(FhirContext fhir, int variant, int maxDepth) {
        this.fhir = fhir;
        this.variant = variant;
        this.maxDepth = maxDepth;
    }

    /** Every canary planted, with the element path it was planted at. */
    Map<String, String> canaries() {
        return canaries;
    }

    void saturate(Resource resource) {
        if (resource instanceof DomainResource domain) {
            domain.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
                    .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + canary("text.div") + "</div>");
            Basic contained = new Basic();
            contained.setId(canary("contained.id"));
            contained.getCode().setText(canary("contained.code.text"));
            domain.addContained(contained);
            domain.addExtension(new Extension("http://example.org/e", new StringType(canary("extension.value[x]"))));
            domain.addModifierExtension(new Extension("http://example.org/m",
                    new StringType(canary("modifierExtension.value[x]"))));
        }
        Meta meta = resource.getMeta();
        meta.addSecurity(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", canary("meta.security.code"),
                canary("meta.security.display")));
        meta.addSecurity(new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R",
                canary("meta.security.display")));
        meta.addTag(new Coding("http://example.org/tag", canary("meta.tag.code"), canary("meta.tag.display")));
        meta.setSource(canary("meta.source"));
        meta.setVersionId(canary("meta.versionId"));
        meta.setLastUpdatedElement(new org.hl7.fhir.r4.model.InstantType(INSTANTS.get(0)));
        if (resource instanceof Observation observation) {
            String code = variant % 3 == 0 ? AGE_CODE : variant % 3 == 1 ? BIRTH_DATE_CODE : null;
            if (code != null) {
                observation.getCode().addCoding(new Coding("http://loinc.org", code, null));
                observation.addComponent().getCode().addCoding(new Coding("http://loinc.org", code, null));
            }
        }
        fill(resource, "", 0);
    }

    private void fill(Base base, String path, int depth) {
        for (Property property : base.children()) {
            String name = property.getName();
            if (SKIPPED.contains(name) || base instanceof Resource && (name.equals("id") || name.equals("meta"))) {
                continue;
            }
            String childPath = path.isEmpty() ? name : path + "." + name;
            if (!property.hasValues() && depth < maxDepth) {
                create(base, property);
            }
            Property filled = base.getNamedProperty(name);
            for (Base value : filled == null ? List.<Base>of() : filled.getValues()) {
                if (value == null || value instanceof Resource) {
                    continue;
                }
                if (value instanceof PrimitiveType<?> primitive) {
                    fillPrimitive(base, name, primitive, childPath);
                } else {
                    if (value instanceof Element element && depth < 2) {
                        element.addExtension(new Extension("http://example.org/n",
                                new StringType(canary(childPath + ".extension.value[x]"))));
                    }
                    fill(value, childPath, depth + 1);
                    if (value instanceof Quantity quantity) {
                        age(quantity, childPath);
                    }
                }
            }
        }
    }

    private void create(Base base, Property property) {
        String name = property.getName();
        try {
            if (name.endsWith("[x]")) {
                String[] types = property.getTypeCode().replaceAll("\\([^)]*\\)", "").split("\\|");
                String type = types[(variant + counter) % types.length].trim();
                if (type.equals("*")) {
                    return;
                }
                BaseRuntimeElementDefinition<?> definition = fhir.getElementDefinition(type);
                if (definition != null) {
                    base.setProperty(name, (Base) definition.newInstance());
                }
            } else {
                base.makeProperty(name.hashCode(), name);
            }
        } catch (FHIRException | UnsupportedOperationException | ClassCastException abstractOrResource) {
            // a resource-typed or abstract element: nothing to fill
        }
    }

    private void fillPrimitive(Base parent, String name, PrimitiveType<?> value, String path) {
        if (name.equals("id")) {
            value.setValueAsString(canary(path));
            return;
        }
        String type = value.fhirType();
        int pick = variant + counter++;
        switch (type) {
            case "string", "markdown", "url" -> value.setValueAsString(
                    (value.hasValue() ? value.getValueAsString() + " " : "") + canary(path));
            case "uri" -> {
                if (parent instanceof Reference && name.equals("type")) {
                    value.setValueAsString(canary(path));
                } else if (!value.hasValue()) {
                    value.setValueAsString("http://example.org/system");
                }
            }
            case "canonical" -> {
                if (!value.hasValue()) {
                    value.setValueAsString("http://example.org/canonical");
                }
            }
            case "code" -> {
                if (!value.hasValue() && !(value instanceof Enumeration<?>)) {
                    value.setValueAsString("x1");
                }
            }
            case "date" -> value.setValueAsString(DATES.get(pick % DATES.size()));
            case "dateTime" -> value.setValueAsString(DATE_TIMES.get(pick % DATE_TIMES.size()));
            case "instant" -> value.setValueAsString(INSTANTS.get(pick % INSTANTS.size()));
            case "time" -> value.setValueAsString("10:11:12");
            case "boolean" -> value.setValueAsString("true");
            case "integer", "positiveInt", "unsignedInt" -> value.setValueAsString("95");
            case "decimal" -> {
                if (!value.hasValue()) {
                    value.setValueAsString("95.5");
                }
            }
            default -> {
                // id, oid, uuid, base64Binary: identifiers of the model, not text a sender types
            }
        }
    }

    /** Every quantity becomes an age above 89 in the variant's unit form; its unit text is a canary when coded. */
    private void age(Quantity quantity, String path) {
        String[] form = AGES.get((variant + counter++) % AGES.size());
        quantity.setValue(new BigDecimal(form[2]));
        quantity.setComparator(null);
        if (form[0] != null) {
            quantity.setSystem("http://unitsofmeasure.org").setCode(form[0]);
        } else {
            quantity.setSystem(null).setCode(null);
        }
        quantity.setUnit(form[1] != null ? form[1] : form[0] != null ? canary(path + ".unit") : null);
    }

    private String canary(String path) {
        StringBuilder canary = new StringBuilder(CANARY_PREFIX);
        int n = canaries.size();
        for (int i = 0; i < 7; i++) {
            canary.append((char) ('A' + n % 26));
            n /= 26;
        }
        canaries.put(canary.toString(), path);
        return canary.toString();
    }
}
