package org.twinbridge.plugin.news2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class LoincVitalSignMapperTest {

    private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");
    private final LoincVitalSignMapper mapper = new LoincVitalSignMapper();

    @ParameterizedTest(name = "LOINC {0} {1} {2} reads as {3}")
    @CsvSource({
        "9279-1, 18, /min, RESPIRATION_RATE",
        "9279-1, 18, {breaths}/min, RESPIRATION_RATE",
        "59408-5, 97, %, OXYGEN_SATURATION",
        "2708-6, 97, %, OXYGEN_SATURATION",
        "8480-6, 120, mm[Hg], SYSTOLIC_BLOOD_PRESSURE",
        "8867-4, 72, /min, PULSE",
        "8867-4, 72, {beats}/min, PULSE",
        "8310-5, 37.2, Cel, TEMPERATURE"})
    void map_numericVitalSign_readsValueInChartedUnit(String loinc, String value, String unit, Parameter expected) {
        LoincVitalSignMapper.Mapping mapping = mapper.map(Observations.quantity(loinc, value, unit), Optional.of(AT));

        assertThat(mapping.unmappedCodes()).isEmpty();
        assertThat(mapping.readings()).singleElement().isEqualTo(
                new VitalSignReading.Measurement(expected, Double.parseDouble(value), Optional.of(AT)));
    }

    @Test
    void map_bloodPressurePanel_readsSystolicComponentOnly() {
        LoincVitalSignMapper.Mapping mapping = mapper.map(Observations.bloodPressure("135", "85"), Optional.of(AT));

        assertThat(mapping.readings()).singleElement().isEqualTo(
                new VitalSignReading.Measurement(Parameter.SYSTOLIC_BLOOD_PRESSURE, 135, Optional.of(AT)));
        assertThat(mapping.unmappedCodes()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} reads as {2} °C")
    @CsvSource({"98.6, [degF], 37.0", "95.0, [degF], 35.0", "100.4, [degF], 38.0", "37.5, Cel, 37.5"})
    void map_temperature_convertsFahrenheitToCelsius(String value, String unit, double celsius) {
        LoincVitalSignMapper.Mapping mapping =
                mapper.map(Observations.quantity("8310-5", value, unit), Optional.empty());

        assertThat(mapping.readings()).singleElement().satisfies(reading ->
                assertThat(((VitalSignReading.Measurement) reading).value()).isCloseTo(celsius, within(1e-9)));
    }

    @Test
    void map_fahrenheitValueLabelledCelsius_isUnmappedNotScored() {
        LoincVitalSignMapper.Mapping mapping = mapper.map(Observations.temperature("98.6"), Optional.empty());

        assertThat(mapping.readings()).isEmpty();
        assertThat(mapping.unmappedCodes()).containsExactly("8310-5");
    }

    @ParameterizedTest(name = "status {0} is ignored")
    @EnumSource(value = Observation.ObservationStatus.class, names = {"ENTEREDINERROR", "CANCELLED"})
    void map_withdrawnObservation_isIgnored(Observation.ObservationStatus status) {
        Observation observation = Observations.pulse("72").setStatus(status);

        assertThat(mapper.map(observation, Optional.of(AT))).isEqualTo(LoincVitalSignMapper.Mapping.NONE);
    }

    @ParameterizedTest(name = "status {0} is read")
    @EnumSource(value = Observation.ObservationStatus.class, names = {"FINAL", "AMENDED", "CORRECTED", "PRELIMINARY"})
    void map_currentObservation_isRead(Observation.ObservationStatus status) {
        Observation observation = Observations.pulse("72").setStatus(status);

        assertThat(mapper.map(observation, Optional.of(AT)).readings()).hasSize(1);
    }

    @ParameterizedTest(name = "{0} {1} {2} means oxygen={3}")
    @CsvSource({
        "3151-8, 2, L/min, true", "3151-8, 0.5, L/min, true", "3151-8, 0, L/min, false",
        "3150-0, 28, %, true", "3150-0, 21.5, %, true", "3150-0, 21, %, false"})
    void map_inhaledOxygen_readsAirOrOxygen(String loinc, String value, String unit, boolean oxygen) {
        LoincVitalSignMapper.Mapping mapping = mapper.map(Observations.quantity(loinc, value, unit), Optional.of(AT));

        assertThat(mapping.readings()).singleElement()
                .isEqualTo(new VitalSignReading.OxygenSupply(oxygen, Optional.of(AT)));
    }

    @Test
    void map_pulseOximetryWithFlowComponent_readsSaturationAndOxygen() {
        Observation observation = Observations.spo2("94");
        observation.addComponent().setCode(Observations.loinc("3151-8")).setValue(Observations.quantity("2", "L/min"));

        assertThat(mapper.map(observation, Optional.empty()).readings()).containsExactlyInAnyOrder(
                new VitalSignReading.Measurement(Parameter.OXYGEN_SATURATION, 94, Optional.empty()),
                new VitalSignReading.OxygenSupply(true, Optional.empty()));
    }

    @Test
    void map_disagreeingOxygenComponents_areUnmapped() {
        Observation observation = Observations.spo2("94");
        observation.addComponent().setCode(Observations.loinc("3151-8")).setValue(Observations.quantity("2", "L/min"));
        observation.addComponent().setCode(Observations.loinc("3150-0")).setValue(Observations.quantity("21", "%"));

        LoincVitalSignMapper.Mapping mapping = mapper.map(observation, Optional.empty());

        assertThat(mapping.readings()).extracting(VitalSignReading::parameter)
                .containsExactly(Parameter.OXYGEN_SATURATION);
        assertThat(mapping.unmappedCodes()).containsExactly("3150-0");
    }

    @ParameterizedTest(name = "SNOMED {0} is {1}")
    @CsvSource({
        "248234008, ALERT", "130987000, CONFUSION", "300202002, VOICE", "450847001, PAIN", "422768004, UNRESPONSIVE"})
    void map_consciousnessSnomedCode_readsAcvpuLevel(String snomed, Consciousness expected) {
        assertThat(mapper.map(Observations.consciousness(snomed), Optional.empty()).readings())
                .singleElement().isEqualTo(new VitalSignReading.Level(expected, Optional.empty()));
    }

    @ParameterizedTest(name = "text \"{0}\" is {1}")
    @CsvSource({
        "A, ALERT", "Alert, ALERT", "' new  Confusion ', CONFUSION", "V, VOICE", "Responds to voice, VOICE",
        "P, PAIN", "pain, PAIN", "U, UNRESPONSIVE", "unresponsive, UNRESPONSIVE"})
    void map_consciousnessText_readsAcvpuLevel(String text, Consciousness expected) {
        Observation asString = consciousnessWith(new StringType(text));
        Observation asConceptText = consciousnessWith(new CodeableConcept().setText(text));

        for (Observation observation : new Observation[] {asString, asConceptText}) {
            assertThat(mapper.map(observation, Optional.empty()).readings())
                    .singleElement().isEqualTo(new VitalSignReading.Level(expected, Optional.empty()));
        }
    }

    @Test
    void map_consciousnessLocalCodeWithKnownDisplay_readsDisplay() {
        Observation observation = consciousnessWith(
                new CodeableConcept(new Coding("urn:example:ward-chart", "V1", "Voice")));

        assertThat(mapper.map(observation, Optional.empty()).readings())
                .singleElement().isEqualTo(new VitalSignReading.Level(Consciousness.VOICE, Optional.empty()));
    }

    @ParameterizedTest(name = "\"{0}\" is not guessed")
    @CsvSource({"drowsy", "confused at baseline", "GCS 14", "''"})
    void map_unknownConsciousnessText_isUnmapped(String text) {
        LoincVitalSignMapper.Mapping mapping = mapper.map(consciousnessWith(new StringType(text)), Optional.empty());

        assertThat(mapping.readings()).isEmpty();
        assertThat(mapping.unmappedCodes()).containsExactly("67775-7");
    }

    @Test
    void map_confusionalStateCode_isUnmappedBecauseNotNewConfusion() {
        LoincVitalSignMapper.Mapping mapping = mapper.map(Observations.consciousness("286933003"), Optional.empty());

        assertThat(mapping.readings()).isEmpty();
        assertThat(mapping.unmappedCodes()).containsExactly("67775-7");
    }

    @Test
    void map_contradictoryConsciousnessCodes_areUnmapped() {
        CodeableConcept both = new CodeableConcept();
        both.addCoding(new Coding(LoincVitalSignMapper.SNOMED, "248234008", null));
        both.addCoding(new Coding(LoincVitalSignMapper.SNOMED, "422768004", null));

        assertThat(mapper.map(consciousnessWith(both), Optional.empty()).readings()).isEmpty();
    }

    @ParameterizedTest(name = "{0} in {2} is unmapped")
    @CsvSource({
        "8480-6, 16, kPa", "8867-4, 72, ''", "59408-5, 0.97, 1", "8310-5, 310, K", "9279-1, 18, /h"})
    void map_unknownUnit_isUnmapped(String loinc, String value, String unit) {
        LoincVitalSignMapper.Mapping mapping = mapper.map(Observations.quantity(loinc, value, unit), Optional.empty());

        assertThat(mapping.readings()).isEmpty();
        assertThat(mapping.unmappedCodes()).containsExactly(loinc);
    }

    @Test
    void map_unitGivenOnlyAsDisplayText_isRead() {
        Observation observation = Observations.pulse("72");
        observation.setValue(new Quantity().setValue(72).setUnit("beats/min"));

        assertThat(mapper.map(observation, Optional.empty()).readings()).hasSize(1);
    }

    @Test
    void map_valueWithComparator_isUnmapped() {
        Observation observation = Observations.spo2("85");
        observation.getValueQuantity().setComparator(Quantity.QuantityComparator.LESS_THAN);

        assertThat(mapper.map(observation, Optional.empty()).unmappedCodes()).containsExactly("59408-5");
    }

    @Test
    void map_relevantCodeWithoutValue_isUnmapped() {
        Observation observation = Observations.pulse("72").setValue(null);

        assertThat(mapper.map(observation, Optional.empty()).unmappedCodes()).containsExactly("8867-4");
    }

    @Test
    void map_negativeValue_isUnmapped() {
        assertThat(mapper.map(Observations.pulse("-5"), Optional.empty()).unmappedCodes()).containsExactly("8867-4");
    }

    @Test
    void map_unrelatedCode_yieldsNothing() {
        assertThat(mapper.map(Observations.quantity("29463-7", "70", "kg"), Optional.empty()))
                .isEqualTo(LoincVitalSignMapper.Mapping.NONE);
    }

    @Test
    void map_vitalSignCodeInAnotherSystem_yieldsNothing() {
        Observation observation = Observations.pulse("72");
        observation.getCode().getCodingFirstRep().setSystem("urn:example:local");

        assertThat(mapper.map(observation, Optional.empty())).isEqualTo(LoincVitalSignMapper.Mapping.NONE);
    }

    @Test
    void map_bothSaturationCodesOnOneObservation_readOnce() {
        Observation observation = Observations.spo2("96");
        observation.getCode().addCoding(new Coding(LoincVitalSignMapper.LOINC, "2708-6", null));

        assertThat(mapper.map(observation, Optional.empty()).readings()).hasSize(1);
    }

    @Test
    void map_oneElementCodedAsTwoParameters_isUnmapped() {
        Observation observation = Observations.pulse("72");
        observation.getCode().addCoding(new Coding(LoincVitalSignMapper.LOINC, "9279-1", null));

        assertThat(mapper.map(observation, Optional.empty()).readings()).isEmpty();
    }

    @Test
    void loincCodes_coverEveryInputOfTheChart() {
        assertThat(LoincVitalSignMapper.LOINC_CODES).containsExactlyInAnyOrder("9279-1", "59408-5", "2708-6",
                "3151-8", "3150-0", "8480-6", "85354-9", "55284-4", "8867-4", "8310-5", "8331-1", "67775-7");
    }

    private static Observation consciousnessWith(Type value) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(Observations.loinc("67775-7"));
        observation.setValue(value);
        return observation;
    }
}
