package org.twinbridge.plugin.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlucoseInputMapperTest {

    private final GlucoseInputMapper mapper = new GlucoseInputMapper();

    @ParameterizedTest(name = "LOINC {0} {1} {2} -> {3}")
    @CsvSource({
            "99504-3,  112, mg/dL,    CGM_GLUCOSE, 112",
            "105272-9, 6.2, mmol/L,   CGM_GLUCOSE, 111.6992",
            "2339-0,   142, mg/dL,    LAB_GLUCOSE, 142",
            "2345-7,   95,  mg/dL,    LAB_GLUCOSE, 95",
            "41653-7,  88,  mg/dL,    LAB_GLUCOSE, 88",
            "15074-8,  5.0, mmol/L,   LAB_GLUCOSE, 90.08",
            "14749-6,  7.0, mmol/L,   LAB_GLUCOSE, 126.112",
            "4548-4,   7.1, %,        HBA1C,       7.1",
            "9059-7,   45,  g,        CARBS,       45",
    })
    void observation_byLoincCode(String loinc, String value, String unit, GlucoseInput.Kind kind, double expected) {
        GlucoseInput input = mapper.map(Records.observation(loinc, value, unit)).orElseThrow();
        assertThat(input.kind()).isEqualTo(kind);
        assertThat(input.value()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void bloodGlucose_fromADevice_isACgmReading() {
        GlucoseInput input = mapper.map(Records.deviceGlucose("7.0", "mmol/L")).orElseThrow();
        assertThat(input.kind()).isEqualTo(GlucoseInput.Kind.CGM_GLUCOSE);
        assertThat(input.value()).isCloseTo(126.112, within(1e-9));
    }

    @Test
    void nothingIsGuessed() {
        assertThat(mapper.map(Records.observation("2339-0", "142", "g/L"))).as("unknown unit").isEmpty();
        assertThat(mapper.map(Records.observation("2339-0", "1420", "mg/dL"))).as("implausible").isEmpty();
        assertThat(mapper.map(Records.observation("4548-4", "70", "%"))).as("an HbA1c of 70%").isEmpty();
        assertThat(mapper.map(Records.observation("8867-4", "70", "/min"))).as("not a glucose code").isEmpty();
        Observation wrong = Records.observation("2339-0", "142", "mg/dL");
        wrong.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
        assertThat(mapper.map(wrong)).as("entered in error").isEmpty();
        assertThat(mapper.map(new Patient())).isEmpty();
    }

    @Test
    void rapidActingInsulin_isRead_butBasalInsulinIsNot() {
        assertThat(mapper.map(Records.insulin("Insulin lispro 100 UNT/ML", "4"))).hasValueSatisfying(input -> {
            assertThat(input.kind()).isEqualTo(GlucoseInput.Kind.INSULIN);
            assertThat(input.value()).isEqualTo(4.0);
        });
        assertThat(mapper.map(Records.insulin("Insulin glargine 100 UNT/ML", "20"))).isEmpty();
        assertThat(mapper.map(Records.insulin("Metformin 500 MG", "1"))).isEmpty();
    }
}
