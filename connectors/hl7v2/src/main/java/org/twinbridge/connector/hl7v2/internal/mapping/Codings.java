package org.twinbridge.connector.hl7v2.internal.mapping;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ca.uhn.hl7v2.model.Type;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * Coded values (CE, CWE, CNE) as FHIR CodeableConcepts, and HL7 coding-system names (table 0396) as FHIR
 * system URIs. A name with no known URI is kept, not dropped, as {@code urn:twinbridge:hl7v2:coding-system:NAME}.
 */
final class Codings {

    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";
    private static final Pattern HL7_TABLE = Pattern.compile("HL7(\\d{4})");
    private static final Map<String, String> SYSTEMS = Map.ofEntries(
            Map.entry("LN", LOINC),
            Map.entry("LOINC", LOINC),
            Map.entry("SCT", "http://snomed.info/sct"),
            Map.entry("SNOMED", "http://snomed.info/sct"),
            Map.entry("SNOMED-CT", "http://snomed.info/sct"),
            Map.entry("UCUM", UCUM),
            Map.entry("I10", "http://hl7.org/fhir/sid/icd-10"),
            Map.entry("I10C", "http://hl7.org/fhir/sid/icd-10-cm"),
            Map.entry("ICD10CM", "http://hl7.org/fhir/sid/icd-10-cm"),
            Map.entry("I9C", "http://hl7.org/fhir/sid/icd-9-cm"),
            Map.entry("I9CDX", "http://hl7.org/fhir/sid/icd-9-cm"),
            Map.entry("CVX", "http://hl7.org/fhir/sid/cvx"),
            Map.entry("NDC", "http://hl7.org/fhir/sid/ndc"),
            Map.entry("RXNORM", "http://www.nlm.nih.gov/research/umls/rxnorm"),
            Map.entry("C4", "http://www.ama-assn.org/go/cpt"),
            Map.entry("CPT", "http://www.ama-assn.org/go/cpt"),
            Map.entry("ISO3166_1", "urn:iso:std:iso:3166"),
            Map.entry("NPI", "http://hl7.org/fhir/sid/us-npi"));

    private Codings() {
    }

    /** The FHIR system for an HL7 coding-system name, or empty for a blank name. */
    static Optional<String> system(String name) {
        String key = name.trim();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        String known = SYSTEMS.get(key.toUpperCase(Locale.ROOT));
        if (known != null) {
            return Optional.of(known);
        }
        Matcher table = HL7_TABLE.matcher(key.toUpperCase(Locale.ROOT));
        if (table.matches()) {
            return Optional.of("http://terminology.hl7.org/CodeSystem/v2-" + table.group(1));
        }
        return Optional.of("urn:twinbridge:hl7v2:coding-system:" + URLEncoder.encode(key, StandardCharsets.UTF_8));
    }

    /**
     * A CE/CWE/CNE value: the identifier triplet (components 1-3), the alternate triplet (4-6) and the original
     * text (9, else 2 when there is no code). Empty if it holds neither a code nor text.
     */
    static Optional<CodeableConcept> concept(Type value) {
        CodeableConcept concept = new CodeableConcept();
        coding(Fields.get(value, 1), Fields.get(value, 2), Fields.get(value, 3)).ifPresent(concept::addCoding);
        coding(Fields.get(value, 4), Fields.get(value, 5), Fields.get(value, 6)).ifPresent(concept::addCoding);
        String original = Fields.get(value, 9);
        if (!original.isEmpty()) {
            concept.setText(original);
        } else if (!concept.hasCoding() && !Fields.get(value, 2).isEmpty()) {
            concept.setText(Fields.get(value, 2));
        }
        return concept.hasCoding() || concept.hasText() ? Optional.of(concept) : Optional.empty();
    }

    /** A single coding from code, display and HL7 system name, if there is a code. */
    static Optional<Coding> coding(String code, String display, String systemName) {
        if (code.isEmpty()) {
            return Optional.empty();
        }
        Coding coding = new Coding().setCode(code);
        system(systemName).ifPresent(coding::setSystem);
        if (!display.isEmpty()) {
            coding.setDisplay(display);
        }
        return Optional.of(coding);
    }

    /** A concept with one coding from an HL7 table, for example table 0203 identifier types. */
    static CodeableConcept table(String table, String code) {
        return new CodeableConcept().addCoding(new Coding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v2-" + table).setCode(code));
    }
}
