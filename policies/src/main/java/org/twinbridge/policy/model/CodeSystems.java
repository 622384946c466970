package org.twinbridge.policy.model;

import java.util.Locale;
import java.util.Map;

/**
 * Code systems as labelling compares them. Senders spell one system several ways: with a trailing slash, in
 * another case, over https, or as its HL7 OID ({@code urn:oid:2.16.840.1.113883.6.1} is LOINC). Each spelling of
 * a known system is mapped to its FHIR canonical URI, so a code list written for {@code http://loinc.org} also
 * matches {@code urn:oid:2.16.840.1.113883.6.1} and {@code HTTP://LOINC.ORG/}. Codes are compared after
 * {@link #normaliseCode}. Stateless and thread-safe.
 */
public final class CodeSystems {

    public static final String LOINC = "http://loinc.org";
    public static final String SNOMED = "http://snomed.info/sct";
    /** WHO ICD-10. */
    public static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
    /** The US clinical modification, which extends WHO ICD-10 below the three-character categories. */
    public static final String ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    public static final String UCUM = "http://unitsofmeasure.org";

    /** HL7 OIDs (without {@code urn:oid:}) and legacy URIs, to the canonical URI. */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("2.16.840.1.113883.6.1", LOINC),
            Map.entry("2.16.840.1.113883.6.96", SNOMED),
            Map.entry("2.16.840.1.113883.6.3", ICD10),
            Map.entry("2.16.840.1.113883.6.90", ICD10_CM),
            Map.entry("2.16.840.1.113883.5.4", ACT_CODE),
            Map.entry("2.16.840.1.113883.5.25", CONFIDENTIALITY),
            Map.entry("2.16.840.1.113883.6.8", UCUM),
            Map.entry("http://snomed.info/id", SNOMED),
            Map.entry("http://www.snomed.org", SNOMED),
            Map.entry("http://hl7.org/fhir/v3/actcode", ACT_CODE),
            Map.entry("http://hl7.org/fhir/v3/confidentiality", CONFIDENTIALITY),
            Map.entry("http://hl7.org/fhir/sid/icd10", ICD10),
            Map.entry("http://hl7.org/fhir/sid/icd10-cm", ICD10_CM));

    private CodeSystems() {
    }

    /**
     * The canonical form of a system URI: trimmed, lower-case, https read as http, without trailing slashes or a
     * {@code urn:oid:} prefix, and mapped to the FHIR URI when it is a known alias. Null stays null.
     */
    public static String normalise(String system) {
        if (system == null) {
            return null;
        }
        String s = system.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("https://")) {
            s = "http://" + s.substring("https://".length());
        }
        if (s.startsWith("urn:oid:")) {
            s = s.substring("urn:oid:".length());
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        String alias = ALIASES.get(s);
        if (alias != null) {
            return alias;
        }
        for (String canonical : new String[] {LOINC, SNOMED, ICD10, ICD10_CM, ACT_CODE, CONFIDENTIALITY, UCUM}) {
            if (canonical.toLowerCase(Locale.ROOT).equals(s)) {
                return canonical;
            }
        }
        return s;
    }

    /**
     * The family a system belongs to for matching: WHO ICD-10 and ICD-10-CM share their chapters and
     * three-character categories, so a code list for either covers both; every other system is its own family.
     */
    public static String family(String system) {
        String s = normalise(system);
        return ICD10_CM.equals(s) ? ICD10 : s;
    }

    /**
     * A code as labelling compares it: trimmed, upper-case, and for ICD-10 without its dot ({@code b20.1} and
     * {@code B201} are both {@code B201}), since senders write ICD codes both ways.
     */
    public static String normaliseCode(String family, String code) {
        if (code == null) {
            return null;
        }
        String c = code.strip().toUpperCase(Locale.ROOT);
        return ICD10.equals(family) ? c.replace(".", "") : c;
    }
}
