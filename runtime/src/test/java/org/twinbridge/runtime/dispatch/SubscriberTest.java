package org.twinbridge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.PluginManifest;

class SubscriberTest {

    private static final Subscriber GLUCOSE = new Subscriber(new DispatcherTest.RecordingTwin("glucose-twin",
            (r, c) -> { }), new PluginManifest("glucose-twin", "1", "t", "glucose",
            new DataRequest(Set.of("Observation", "MedicationAdministration"),
                    Set.of(CodeFilter.loinc("2339-0"), new CodeFilter("http://www.nlm.nih.gov/research/umls/rxnorm",
                            "253182")), Set.of("TREAT")), List.of()), "TREAT");

    private static Resource record(String type, String system, String code) {
        CodeableConcept concept = new CodeableConcept().addCoding(new Coding(system, code, null));
        return type.equals("Observation") ? new Observation().setCode(concept)
                : new MedicationAdministration().setMedication(concept);
    }

    @ParameterizedTest(name = "{0} {2} -> {3}")
    @CsvSource({
        "Observation,              http://loinc.org,                            2339-0, true",
        "Observation,              http://loinc.org,                            8867-4, false",
        "MedicationAdministration, http://www.nlm.nih.gov/research/umls/rxnorm, 253182, true",
        "MedicationAdministration, http://www.nlm.nih.gov/research/umls/rxnorm, 999999, false",
    })
    void wants_matchesTheManifestCodes_inCodeAndInMedication(String type, String system, String code,
            boolean wanted) {
        assertThat(GLUCOSE.wants(record(type, system, code))).isEqualTo(wanted);
    }
}
