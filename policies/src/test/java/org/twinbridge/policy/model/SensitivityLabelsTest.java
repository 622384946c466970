package org.twinbridge.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SensitivityLabelsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final SensitivityLabels LABELS = new SensitivityLabels(List.of(
            new SensitivityLabels.Entry("HIV", "http://hl7.org/fhir/sid/icd-10-cm", "B20", true),
            new SensitivityLabels.Entry("PSY", "http://snomed.info/sct", "35489007", false),
            new SensitivityLabels.Entry("ETH", "http://www.nlm.nih.gov/research/umls/rxnorm", "1010600", false)));

    private static Resource withCode(String type, String system, String code) {
        CodeableConcept concept = new CodeableConcept().addCoding(new Coding(system, code, null));
        switch (type) {
            case "Condition":
                return new Condition().setCode(concept);
            case "MedicationRequest":
                return new MedicationRequest().setMedication(concept);
            default:
                return new Observation().setValue(concept);
        }
    }

    @ParameterizedTest(name = "{0} {2} -> {3}")
    @CsvSource({
        "Condition,         http://hl7.org/fhir/sid/icd-10-cm,           B20.1,    HIV",
        "Condition,         http://hl7.org/fhir/sid/icd-10-cm,           B2,       ''",
        "Condition,         http://snomed.info/sct,                      35489007, PSY",
        "Condition,         http://snomed.info/sct,                      354890071, ''",
        "Observation,       http://snomed.info/sct,                      35489007, PSY",
        "MedicationRequest, http://www.nlm.nih.gov/research/umls/rxnorm, 1010600,  ETH",
        "Condition,         http://loinc.org,                            B20,      ''",
    })
    void apply_labelsByAnyCodingInTheRecord_whateverItsType(String type, String system, String code, String label) {
        Resource resource = withCode(type, system, code);

        var labels = LABELS.apply(FHIR, resource);

        assertThat(labels).containsExactlyElementsOf(label.isEmpty() ? List.of() : List.of(label));
        assertThat(SensitivityLabels.existing(resource)).isEqualTo(labels);
    }

    @ParameterizedTest
    @CsvSource({"B20.1"})
    void apply_twice_addsTheLabelOnce(String code) {
        Resource resource = withCode("Condition", "http://hl7.org/fhir/sid/icd-10-cm", code);

        LABELS.apply(FHIR, resource);
        LABELS.apply(FHIR, resource);

        assertThat(resource.getMeta().getSecurity()).hasSize(1);
    }
}
