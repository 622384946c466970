package org.twinbridge.policy.model;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/**
 * Code lists that privacy officers edit: which codes (ICD-10, SNOMED CT, LOINC, RxNorm, ...) make a record
 * sensitive, and with which HL7 v3 ActCode label (HIV, PSY, ETH, SDV, SEX, GDIS, ...). Labelling looks at
 * every coding in the record, so it works the same whatever protocol the record came in by.
 *
 * <p>Matching forgives the ways senders spell the same code: systems are compared by {@link CodeSystems#family}
 * (trailing slash, case, https and the HL7 OIDs of LOINC, SNOMED CT and ICD-10 do not matter, and WHO ICD-10 and
 * ICD-10-CM are one family), and codes after {@link CodeSystems#normaliseCode} (whitespace, case and the ICD-10
 * dot do not matter).
 *
 * <p>Labels are computed again from the current lists at every decision (see the decision point), so a record
 * journalled under older lists gets today's labels. Immutable and thread-safe.
 */
public record SensitivityLabels(List<Entry> entries) {

    /** The code system of the labels. */
    public static final String ACT_CODE = CodeSystems.ACT_CODE;

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

    /** How an entry's code is compared. */
    public enum Match {
        /** The code itself. */
        EXACT,
        /** Every code starting with it: ICD-10 {@code B20} covers B20.0 to B20.9. */
        PREFIX,
        /**
         * Every code whose leading characters fall between {@code code} and {@code upTo}, inclusive: ICD-10
         * {@code B20}-{@code B24} covers the categories B20, B21, B22, B23, B24 and all their subcodes.
         */
        RANGE
    }

    /**
     * One code list line: codes of {@code system} that {@code match} {@code code} (and {@code upTo} for a range)
     * get {@code label}.
     *
     * @param upTo the last code of a range, or null for the other kinds
     */
    public record Entry(String label, String system, String code, Match match, String upTo) {
        public Entry {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(system, "system");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(match, "match");
            if ((match == Match.RANGE) != (upTo != null)) {
                throw new IllegalArgumentException("a range entry has an upper code, and only a range entry");
            }
            String family = CodeSystems.family(system);
            if (match == Match.RANGE && CodeSystems.normaliseCode(family, code)
                    .compareTo(CodeSystems.normaliseCode(family, upTo)) > 0) {
                throw new IllegalArgumentException("a code range must not end before it starts");
            }
        }

        /** An exact code ({@code prefix} false) or a prefix ({@code prefix} true). */
        public Entry(String label, String system, String code, boolean prefix) {
            this(label, system, code, prefix ? Match.PREFIX : Match.EXACT, null);
        }

        boolean matches(String family, String normalisedCode) {
            if (!CodeSystems.family(system).equals(family)) {
                return false;
            }
            String from = CodeSystems.normaliseCode(family, code);
            switch (match) {
                case EXACT:
                    return normalisedCode.equals(from);
                case PREFIX:
                    return normalisedCode.startsWith(from);
                default:
                    String to = CodeSystems.normaliseCode(family, upTo);
                    int length = Math.max(from.length(), to.length());
                    if (normalisedCode.length() < Math.min(from.length(), to.length())) {
                        return false;
                    }
                    String head = normalisedCode.substring(0, Math.min(length, normalisedCode.length()));
                    return head.compareTo(from) >= 0 && head.compareTo(to) <= 0;
            }
        }
    }

    /** The labels the record's codes call for, plus any it already carries. */
    public Set<String> labelsFor(FhirContext fhir, Resource resource) {
        return labelsFor(resource);
    }

    /** The labels the record's codes call for, plus any it already carries; reads every coding in the record. */
    public Set<String> labelsFor(Resource resource) {
        Set<String> labels = new TreeSet<>(existing(resource));
        if (entries.isEmpty()) {
            return labels;
        }
        for (Coding coding : codings(resource)) {
            if (coding.getCode() == null || coding.getSystem() == null) {
                continue;
            }
            String family = CodeSystems.family(coding.getSystem());
            String code = CodeSystems.normaliseCode(family, coding.getCode());
            for (Entry entry : entries) {
                if (entry.matches(family, code)) {
                    labels.add(entry.label());
                }
            }
        }
        return labels;
    }

    /** Adds any missing labels to {@code meta.security}, in place. Returns the resource's labels. */
    public Set<String> apply(FhirContext fhir, Resource resource) {
        Set<String> labels = labelsFor(resource);
        Set<String> present = existing(resource);
        for (String label : labels) {
            if (!present.contains(label)) {
                resource.getMeta().addSecurity(new Coding(ACT_CODE, label, null));
            }
        }
        return labels;
    }

    /**
     * The sensitivity labels already in {@code meta.security}: known ActCode codes, however the system is spelt.
     * Anything else a sender put there (free text, unknown codes) is not a label.
     */
    public static Set<String> existing(Resource resource) {
        if (!resource.hasMeta()) {
            return Set.of();
        }
        return resource.getMeta().getSecurity().stream()
                .filter(c -> ACT_CODE.equals(CodeSystems.normalise(c.getSystem())) && c.getCode() != null)
                .map(c -> c.getCode().strip().toUpperCase(java.util.Locale.ROOT))
                .filter(KNOWN_LABELS::contains)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every coding anywhere in the resource, contained resources and meta included. */
    private static List<Coding> codings(Base root) {
        List<Coding> found = new ArrayList<>();
        List<Base> pending = new ArrayList<>(List.of(root));
        while (!pending.isEmpty()) {
            Base base = pending.remove(pending.size() - 1);
            if (base instanceof Coding coding) {
                found.add(coding);
            }
            for (Property property : base.children()) {
                for (Base value : property.getValues()) {
                    if (value != null && !value.isPrimitive()) {
                        pending.add(value);
                    }
                }
            }
        }
        return found;
    }
}
