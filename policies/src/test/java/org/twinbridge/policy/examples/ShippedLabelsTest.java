package org.twinbridge.policy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.explain.PolicyExplainer;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.model.SensitivityLabels;

/**
 * The shipped code lists label every code of each category, however its system and code are spelt, and the demo
 * set then denies it: the HIV, psychiatry and substance-use categories are walked over their whole ICD-10 ranges
 * (every category and subcode), every listed LOINC and SNOMED CT code, and each in every spelling of its system
 * (trailing slash, case, https, the HL7 OID) and of its code (whitespace, case, with or without the ICD-10 dot).
 */
class ShippedLabelsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Path DEMO = Path.of("examples", "demo");
    private static SensitivityLabels labels;
    private static PolicyExplainer demo;

    @BeforeAll
    static void load() throws Exception {
        var set = new PolicyLoader(FHIR).load(DEMO);
        labels = set.labels();
        demo = new PolicyExplainer(FHIR, new PolicyDecisionPoint(set), LocalDate.of(2026, 11, 29));
    }

    private static final List<String> ICD10_SYSTEMS = List.of("http://hl7.org/fhir/sid/icd-10",
            "http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10/", "HTTP://HL7.ORG/FHIR/SID/ICD-10-CM",
            "https://hl7.org/fhir/sid/icd-10", "urn:oid:2.16.840.1.113883.6.3", "urn:oid:2.16.840.1.113883.6.90",
            " http://hl7.org/fhir/sid/icd-10-cm/ ");
    private static final List<String> LOINC_SYSTEMS = List.of("http://loinc.org", "http://loinc.org/",
            "HTTP://LOINC.ORG", "https://loinc.org/", "urn:oid:2.16.840.1.113883.6.1", "URN:OID:2.16.840.1.113883.6.1");
    private static final List<String> SNOMED_SYSTEMS = List.of("http://snomed.info/sct", "http://snomed.info/sct/",
            "HTTP://SNOMED.INFO/SCT", "urn:oid:2.16.840.1.113883.6.96", "https://snomed.info/sct");

    /** Every ICD-10 category in a range, each with subcodes, in each spelling of the code. */
    private static List<String> icd10(char letter, int from, int to) {
        List<String> codes = new ArrayList<>();
        for (int category = from; category <= to; category++) {
            String c = String.format(Locale.ROOT, "%c%02d", letter, category);
            codes.add(c);
            codes.add(c + "." + (category % 10));
            codes.add(c + (category % 10) + "1");
            codes.add(" " + c.toLowerCase(Locale.ROOT) + ".9 ");
        }
        return codes;
    }

    private static Stream<Arguments> spelled(String label, List<String> systems, List<String> codes) {
        List<Arguments> cases = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            // Every code in at least one spelling; every spelling with many codes.
            cases.add(Arguments.of(label, systems.get(i % systems.size()), codes.get(i)));
        }
        for (String system : systems) {
            cases.add(Arguments.of(label, system, codes.get(0)));
        }
        return cases.stream();
    }

    static Stream<Arguments> labelled() throws Exception {
        List<String> hivLoinc = new ArrayList<>();
        List<String> snomed = new ArrayList<>();
        List<String> psySnomed = new ArrayList<>();
        List<String> ethSnomed = new ArrayList<>();
        String current = "";
        for (String line : Files.readAllLines(DEMO.resolve("labels.yaml"))) {
            if (line.contains("- label: ")) {
                current = line.substring(line.indexOf("- label: ") + 9).strip();
            }
            if (line.contains("loinc.org") && current.equals("HIV")) {
                hivLoinc.add(code(line));
            } else if (line.contains("snomed.info")) {
                (current.equals("HIV") ? snomed : current.equals("PSY") ? psySnomed : ethSnomed).add(code(line));
            }
        }
        List<String> loincSpellings = hivLoinc.stream().map(c -> hivLoinc.indexOf(c) % 3 == 0 ? " " + c + " " : c)
                .toList();
        return Stream.of(
                spelled("HIV", ICD10_SYSTEMS, icd10('B', 20, 24)),
                spelled("HIV", ICD10_SYSTEMS, List.of("Z21", "z21", "R75", "O98.711", "O9871", "O98.7")),
                spelled("HIV", LOINC_SYSTEMS, loincSpellings),
                spelled("HIV", SNOMED_SYSTEMS, snomed),
                spelled("PSY", ICD10_SYSTEMS, icd10('F', 0, 99)),
                spelled("PSY", SNOMED_SYSTEMS, psySnomed),
                spelled("ETH", ICD10_SYSTEMS, icd10('F', 10, 19)),
                spelled("ETH", ICD10_SYSTEMS, List.of("Z71.4", "Z71.41", "z71.51", "Z715")),
                spelled("ETH", SNOMED_SYSTEMS, ethSnomed)).flatMap(s -> s);
    }

    private static String code(String line) {
        int at = line.indexOf("code: \"") + 7;
        return line.substring(at, line.indexOf('"', at));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("labelled")
    void shippedLists_labelEveryCodeOfTheCategory_inEverySpelling(String label, String system, String code) {
        Observation record = vitalSign(system, code);

        assertThat(labels.labelsFor(record)).contains(label);
        assertThat(demo.explain("news2-twin", "TREAT", record, true).view())
                .as("the demo never shares %s records", label).isEmpty();
    }

    static Stream<Arguments> unlabelled() {
        return Stream.of(
                Arguments.of("http://hl7.org/fhir/sid/icd-10", "B19.9"),
                Arguments.of("http://hl7.org/fhir/sid/icd-10", "B25"),
                Arguments.of("http://hl7.org/fhir/sid/icd-10", "B2"),
                Arguments.of("http://hl7.org/fhir/sid/icd-10-cm", "G00"),
                Arguments.of("http://hl7.org/fhir/sid/icd-10-cm", "E99"),
                Arguments.of("http://hl7.org/fhir/sid/icd-10-cm", "Z20.1"),
                Arguments.of("http://hl7.org/fhir/sid/icd-9-cm", "042"),
                Arguments.of("http://loinc.org", "8867-4"),
                Arguments.of("http://loinc.org", "75622-2"),
                Arguments.of("http://snomed.info/sct", "271649006"),
                Arguments.of("http://example.org/local", "B20"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unlabelled")
    void shippedLists_leaveCodesOutsideEveryCategoryUnlabelled(String system, String code) {
        Observation record = vitalSign(system, code);

        assertThat(labels.labelsFor(record)).isEmpty();
        assertThat(demo.explain("news2-twin", "TREAT", record, true).view()).isPresent();
    }

    /** A heart rate the NEWS2 twin would see, with one more coding: the one under test. */
    private static Observation vitalSign(String system, String code) {
        Observation record = new Observation();
        record.setId("o-1");
        record.setStatus(Observation.ObservationStatus.FINAL);
        record.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", null)));
        record.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", null)));
        record.setSubject(new Reference("Patient/p-1"));
        record.addInterpretation(new CodeableConcept(new Coding(system, code, null)));
        return record;
    }

}
