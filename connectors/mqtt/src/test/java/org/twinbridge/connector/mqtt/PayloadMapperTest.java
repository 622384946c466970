package org.twinbridge.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;
import org.twinbridge.connector.support.PayloadException;
import org.twinbridge.sdk.model.CanonicalRecord;

class PayloadMapperTest {

    private static final String SYSTEM = "urn:twinbridge:device:wards";
    private final PayloadMapper auto = new PayloadMapper("wards", MqttSettings.Format.AUTO, SYSTEM);

    @Test
    void openMHealthHeartRate_mapsToLoincUcumVitalSignWithDevice() throws Exception {
        Observation obs = single(auto.map(sample("openmhealth/heart-rate-2.0-pass.json"), Optional.of("w-1")));

        assertThat(codes(obs)).containsExactly("http://loinc.org|8867-4");
        assertThat(obs.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("vital-signs");
        Quantity value = obs.getValueQuantity();
        assertThat(value.getValue()).isEqualByComparingTo("67.5");
        assertThat(value.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(value.getCode()).isEqualTo("/min");
        assertThat(obs.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2020-02-05T07:25:00-08:00");
        assertThat(obs.getDevice().getIdentifier().getSystem()).isEqualTo(SYSTEM);
        assertThat(obs.getDevice().getIdentifier().getValue()).isEqualTo("w-1");
        assertThat(obs.hasSubject()).isFalse();
    }

    @Test
    void openMHealthReading_getsAStableIdOfItsOwn_fromItsDataPointId() throws Exception {
        String first = "{\"header\":{\"id\":\"dp-1\",\"schema_id\":{\"namespace\":\"omh\",\"name\":\"heart-rate\","
                + "\"version\":\"2.0\"}},\"body\":{\"heart_rate\":{\"value\":70,\"unit\":\"beats/min\"},"
                + "\"effective_time_frame\":{\"date_time\":\"2024-01-01T10:00:00Z\"}}}";
        String second = first.replace("dp-1", "dp-2");

        Observation once = single(auto.map(first.getBytes(StandardCharsets.UTF_8), Optional.of("w-1")));
        Observation again = single(auto.map(first.getBytes(StandardCharsets.UTF_8), Optional.of("w-1")));
        Observation other = single(auto.map(second.getBytes(StandardCharsets.UTF_8), Optional.of("w-1")));

        assertThat(once.getIdPart()).isEqualTo(PayloadMapper.readingId("omh/dp-1")).startsWith("omh-")
                .isEqualTo(again.getIdPart());
        assertThat(other.getIdPart()).isNotEqualTo(once.getIdPart());
    }

    @Test
    void openMHealthSpO2_carriesBothLoincCodesAndTheOxygenFlow() throws Exception {
        CanonicalRecord record = auto.map(sample("openmhealth/oxygen-saturation-2.0-pass.json"), Optional.of("w-1"))
                .get(0);
        Observation obs = (Observation) record.resource();

        assertThat(codes(obs)).containsExactly("http://loinc.org|59408-5", "http://loinc.org|2708-6");
        assertThat(obs.getValueQuantity().getCode()).isEqualTo("%");
        assertThat(obs.getComponentFirstRep().getCode().getCodingFirstRep().getCode()).isEqualTo("3151-8");
        assertThat(record.unmapped()).contains("body.oxygen_therapy_mode_of_administration", "body.system",
                "body.measurement_method");
    }

    @Test
    void openMHealthBloodPressure_isAPanelWithSystolicAndDiastolic() throws Exception {
        Observation obs = single(auto.map(sample("openmhealth/blood-pressure-4.0-pass.json"), Optional.of("w-1")));

        assertThat(codes(obs)).containsExactly("http://loinc.org|85354-9");
        assertThat(obs.getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode() + "="
                + c.getValueQuantity().getValue().toPlainString() + " " + c.getValueQuantity().getCode())
                .containsExactly("8480-6=115 mm[Hg]", "8462-4=60 mm[Hg]");
    }

    @Test
    void dataPoint_withHeader_usesTheDataPointIdAsSourceAndTheSchemaName() throws Exception {
        String dataPoint = """
                {"header":{"id":"3f8a0c44-1111-4a6e-9b5e-6b2f0c7d9e01","creation_date_time":"2024-05-01T10:00:05Z",
                  "schema_id":{"namespace":"omh","name":"body-temperature","version":"4.0"}},
                 "body":{"body_temperature":{"value":98.6,"unit":"F"},
                   "effective_time_frame":{"date_time":"2024-05-01T10:00:00Z"}}}
                """;
        CanonicalRecord record = auto.map(dataPoint.getBytes(StandardCharsets.UTF_8), Optional.of("w-1")).get(0);
        Observation obs = (Observation) record.resource();

        assertThat(record.sourceId()).isEqualTo("omh/3f8a0c44-1111-4a6e-9b5e-6b2f0c7d9e01");
        assertThat(codes(obs)).containsExactly("http://loinc.org|8310-5");
        assertThat(obs.getValueQuantity().getCode()).isEqualTo("[degF]");
        assertThat(obs.hasIssued()).isTrue();
    }

    @Test
    void descriptiveStatistic_isNotAVitalSignForPointInTimeTwins() throws Exception {
        String minimum = """
                {"heart_rate":{"value":50.0,"unit":"beats/min"},"descriptive_statistic":"minimum",
                 "effective_time_frame":{"time_interval":{"start_date_time":"2020-02-05T06:00:00+01:00",
                   "end_date_time":"2020-02-06T06:00:00+01:00"}}}
                """;
        Observation obs = single(auto.map(minimum.getBytes(StandardCharsets.UTF_8), Optional.of("w-1")));

        assertThat(obs.hasCategory()).isFalse();
        assertThat(obs.getMethod().getText()).startsWith("minimum");
        assertThat(obs.getEffectivePeriod().hasStart()).isTrue();
    }

    @Test
    void glucoseInMmolPerLitre_usesTheMolarLoincCodeAndLaboratoryCategory() throws Exception {
        String glucose = """
                {"blood_glucose":{"value":5.4,"unit":"mmol/L"},"effective_time_frame":{"date_time":"2024-05-01T07:00:00Z"}}
                """;
        Observation obs = single(auto.map(glucose.getBytes(StandardCharsets.UTF_8), Optional.of("cgm-1")));

        assertThat(codes(obs)).containsExactly("http://loinc.org|15074-8");
        assertThat(obs.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("laboratory");
    }

    @Test
    void wrongUnit_isRejectedNamingTheRuleNotTheValue() {
        assertThatThrownBy(() -> auto.map(sample("openmhealth/heart-rate-2.0-fail-incorrect-unit.json"),
                Optional.of("w-1"))).isInstanceOf(PayloadException.class)
                .hasMessageContaining("TB-OMH-003").hasMessageContaining("heart_rate.unit")
                .hasMessageNotContaining("beat/min");
    }

    @Test
    void userNotes_areNeverCopied() throws Exception {
        String withNotes = """
                {"heart_rate":{"value":50,"unit":"beats/min"},"effective_time_frame":{"date_time":"2013-02-05T07:25:00Z"},
                 "user_notes":"Jane Roe felt dizzy"}
                """;
        CanonicalRecord record = auto.map(withNotes.getBytes(StandardCharsets.UTF_8), Optional.of("w-1")).get(0);
        String json = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .encodeResourceToString(record.resource());

        assertThat(json).doesNotContain("Jane");
        assertThat(record.unmapped()).containsExactly("body.user_notes");
    }

    @Test
    void openMHealthWithoutDeviceId_isRejected() {
        assertThatThrownBy(() -> auto.map(sample("openmhealth/heart-rate-2.0-pass.json"), Optional.empty()))
                .hasMessageContaining("TB-MQTT-033");
    }

    @Test
    void phdSpO2_getsLoincVitalSignCategoryAndKeepsItsMdcCodeAndDevice() throws Exception {
        List<CanonicalRecord> records = auto.map(sample("phd/numeric-spotnumeric.json"), Optional.of("gw-7"));
        Observation obs = single(records);

        assertThat(codes(obs)).contains("urn:iso:std:iso:11073:10101|149530", "http://loinc.org|8867-4");
        assertThat(obs.getCategory()).flatExtracting(c -> c.getCoding()).extracting(Coding::getCode)
                .contains("vital-signs");
        assertThat(obs.getDevice().getReference()).startsWith("Device/phd-");
        assertThat(obs.getDevice().getIdentifier().getValue()).isEqualTo("gw-7");
        assertThat(obs.getSubject().getReference()).isEqualTo("Patient/patientExample-1");
    }

    @Test
    void phdBundle_unpacksPatientDevicesAndObservations() throws Exception {
        List<CanonicalRecord> records = auto.map(sample("phd/bundle-example-1.json"), Optional.empty());

        assertThat(records).extracting(r -> r.resource().fhirType())
                .containsExactly("Patient", "Device", "Device", "Observation", "Observation", "Observation");
        Observation timeStamp = (Observation) records.get(3).resource();
        Observation spo2 = (Observation) records.get(4).resource();
        assertThat(timeStamp.getSubject().getReference()).isEqualTo("Device/phd-001");
        assertThat(spo2.getSubject().getReference()).isEqualTo("Patient/patient-001");
        assertThat(spo2.getCategory()).flatExtracting(c -> c.getCoding()).extracting(Coding::getCode)
                .contains("vital-signs");
    }

    @Test
    void formatOpenMHealth_rejectsFhir_andFormatFhir_rejectsOpenMHealth() throws Exception {
        PayloadMapper omh = new PayloadMapper("wards", MqttSettings.Format.OPENMHEALTH, SYSTEM);
        PayloadMapper fhir = new PayloadMapper("wards", MqttSettings.Format.FHIR, SYSTEM);

        assertThatThrownBy(() -> omh.map(sample("phd/numeric-spotnumeric.json"), Optional.of("d")))
                .hasMessageContaining("TB-MQTT-031");
        assertThatThrownBy(() -> fhir.map(sample("openmhealth/heart-rate-2.0-pass.json"), Optional.of("d")))
                .hasMessageContaining("TB-PAYLOAD-002");
    }

    @Test
    void notJson_isRejectedWithoutContent() {
        assertThatThrownBy(() -> auto.map("HR=72 patient Jane Roe".getBytes(StandardCharsets.UTF_8),
                Optional.of("d"))).hasMessageContaining("TB-PAYLOAD-001").hasMessageNotContaining("Jane");
        assertThatThrownBy(() -> auto.map("{\"greeting\":\"Jane\"}".getBytes(StandardCharsets.UTF_8),
                Optional.of("d"))).hasMessageContaining("TB-MQTT-031").hasMessageNotContaining("Jane");
    }

    static byte[] sample(String path) throws IOException {
        try (InputStream in = PayloadMapperTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return in.readAllBytes();
        }
    }

    private static Observation single(List<CanonicalRecord> records) {
        assertThat(records).hasSize(1);
        return (Observation) records.get(0).resource();
    }

    private static List<String> codes(Observation obs) {
        return obs.getCode().getCoding().stream().map(c -> c.getSystem() + "|" + c.getCode()).toList();
    }
}
