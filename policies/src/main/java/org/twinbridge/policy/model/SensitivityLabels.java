package org.twinbridge.policy.model;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/**
 * Code lists that privacy officers edit: which codes (ICD-10, SNOMED CT, LOINC, RxNorm, ...) make a record
 * sensitive, and with which HL7 v3 ActCode label (HIV, PSY, ETH, SDV, SEX, GDIS, ...). Labelling looks at
 * every coding in the record, so it works the same whatever protocol the record came in by. Labels are
 * written into {@code meta.security}, where FHIR keeps them and where projection always preserves them.
 */
public record SensitivityLabels(List<Entry> entries) {

    /** The code system of the labels. */
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /** The HL7 v3 sensitivity codes that code lists may assign. */
    public static final Set<String> KNOWN_LABELS = Set.of("HIV", "PSY", "ETH", "SDV", "SEX", "GDIS", "STD", "SUD",
            "ETHUD", "OPIOIDUD", "BH", "MH", "GENETIC", "REPRO", "DEMO", "DOB", "GENDER", "LIVARG", "MARST",
            "RACE", "REL", "SICKLE", "TBOO", "DRGIS", "PREGNANT", "COMPT");

    public SensitivityLabels {
        entries = List.copyOf(entries);
    }

    /** No code lists: nothing is labelled. */
    public static SensitivityLabels none() {
        return new SensitivityLabels(List.of());
    }

    /**
     * One code list line: codes of {@code system} equal to {@code code}, or starting with {@code prefix}
     * (for hierarchical systems such as ICD-10: prefix {@code B20} covers B20.0 ... B20.9), get {@code label}.
     */
    public record Entry(String label, String system, String code, boolean prefix) {
        public Entry {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(system, "system");
            Objects.requireNonNull(code, "code");
        }

        boolean matches(Coding coding) {
            return system.equals(coding.getSystem()) && coding.getCode() != null
                    && (prefix ? coding.getCode().startsWith(code) : coding.getCode().equals(code));
        }
    }

    /** The labels the record's codes call for, plus any it already carries. */
    public Set<String> labelsFor(FhirContext fhir, Resource resource) {
        FhirTerser terser = fhir.newTerser();
        Set<String> labels = new TreeSet<>(existing(resource));
        for (Coding coding : terser.getAllPopulatedChildElementsOfType(resource, Coding.class)) {
            for (Entry entry : entries) {
                if (entry.matches(coding)) {
                    labels.add(entry.label());
                }
            }
        }
        return labels;
    }

    /** Adds any missing labels to {@code meta.security}, in place. Returns the resource's labels. */
    public Set<String> apply(FhirContext fhir, Resource resource) {
        Set<String> labels = labelsFor(fhir, resource);
        Set<String> present = existing(resource);
        for (String label : labels) {
            if (!present.contains(label)) {
                resource.getMeta().addSecurity(new Coding(ACT_CODE, label, null));
            }
        }
        return labels;
    }

    /** The ActCode labels already in {@code meta.security}. */
    public static Set<String> existing(Resource resource) {
        if (!resource.hasMeta()) {
            return Set.of();
        }
        return resource.getMeta().getSecurity().stream()
                .filter(c -> ACT_CODE.equals(c.getSystem()) && c.getCode() != null)
                .map(Coding::getCode)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
