package org.twinbridge.connector.hl7v2.internal.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.twinbridge.connector.hl7v2.TestMessages.CANARY_NOTE;
import static org.twinbridge.connector.hl7v2.TestMessages.CANARY_VALUE;
import static org.twinbridge.connector.hl7v2.TestMessages.canaryOru;
import static org.twinbridge.connector.hl7v2.TestMessages.message;
import static org.twinbridge.connector.hl7v2.TestMessages.resource;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.connector.hl7v2.internal.wire.MshHeader;
import org.twinbridge.sdk.model.CanonicalRecord;

/** ORU^R01 to Observation and DiagnosticReport: what each OBX and OBR field becomes, and what is left unmapped. */
class OruMappingTest {

    private static final String MSH = "MSH|^~\\&|LABAPP|LABFAC|TB|NODE|20240305081500+0100||ORU^R01|C-1|P|2.5.1";
    private static final String PID = "PID|1||M-1^^^HOSP^MR||Doe^Jane||19700101|F";
    private static final String OBR = "OBR|1||F-1|24331-1^Lipid panel^LN|||20240305070000+0100";

    private static Observation single(String obx) throws MappingException {
        return Mapped.of(message(MSH, PID, OBR, obx)).first(Observation.class);
    }

    @Test
    void obx_numericLoincResult_withUcumUnitRangeFlagTimeAndStatus() throws Exception {
        Mapped mapped = Mapped.of(canaryOru("C-OBX", "2.5.1"));
        Observation obs = mapped.first(Observation.class);

        assertThat(obs.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(obs.getCode().getCodingFirstRep().getCode()).isEqualTo("2093-3");
        Quantity value = obs.getValueQuantity();
        assertThat(value.getValue()).isEqualByComparingTo("250");
        assertThat(value.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(value.getCode()).isEqualTo("mg/dL");
        assertThat(obs.getReferenceRangeFirstRep().getHigh().getValue()).isEqualByComparingTo("200");
        assertThat(obs.getReferenceRangeFirstRep().hasLow()).isFalse();
        assertThat(obs.getReferenceRangeFirstRep().getText()).isEqualTo("<200");
        assertThat(obs.getInterpretationFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation");
        assertThat(obs.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("H");
        assertThat(obs.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-05T07:15:00+01:00");
        assertThat(obs.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(obs.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("laboratory");
        assertThat(obs.getNoteFirstRep().getText()).isEqualTo(CANARY_NOTE);
    }

    @Test
    void obx_withoutItsOwnTime_takesTheOrdersObservationTime() throws Exception {
        Observation text = Mapped.of(canaryOru("C-TIME", "2.5.1")).all(Observation.class).get(1);

        assertThat(text.getValueStringType().getValue()).isEqualTo(CANARY_VALUE);
        assertThat(text.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-05T07:00:00+01:00");
    }

    @Test
    void obr_becomesAReport_whoseResultsAreItsObservations_inOrder() throws Exception {
        Mapped mapped = Mapped.of(canaryOru("C-OBR", "2.5.1"));
        DiagnosticReport report = mapped.first(DiagnosticReport.class);
        List<Observation> observations = mapped.all(Observation.class);

        assertThat(report.getCode().getCodingFirstRep().getCode()).isEqualTo("24331-1");
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(report.getIdentifier()).extracting(i -> i.getType().getCodingFirstRep().getCode() + "=" + i.getValue())
                .containsExactly("PLAC=PL-1", "FILL=FI-1");
        assertThat(report.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("CH");
        assertThat(report.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-05T07:00:00+01:00");
        assertThat(report.getIssuedElement().getValueAsString()).isEqualTo("2024-03-05T08:00:00+01:00");
        assertThat(report.getResult()).extracting(Reference::getReference)
                .containsExactly("Observation/" + observations.get(0).getIdPart(),
                        "Observation/" + observations.get(1).getIdPart());
    }

    @Test
    void everyResource_refersToThePatientFromPid_whichComesFirst() throws Exception {
        Mapped mapped = Mapped.of(canaryOru("C-SUBJ", "2.5.1"));
        Patient patient = mapped.first(Patient.class);
        String reference = "Patient/" + patient.getIdPart();

        assertThat(mapped.records().get(0).resource()).isSameAs(patient);
        assertThat(mapped.all(Observation.class)).allSatisfy(o -> assertThat(o.getSubject().getReference())
                .isEqualTo(reference));
        assertThat(mapped.first(DiagnosticReport.class).getSubject().getReference()).isEqualTo(reference);
        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo("http://hospital.example.org/mrn");
    }

    @Test
    void fieldsAndSegmentsNotMapped_areNamedOnTheirRecord_neverTheirValues() throws Exception {
        Mapped mapped = Mapped.of(canaryOru("C-UNMAPPED", "2.5.1"));

        CanonicalRecord cholesterol = mapped.recordOf(mapped.first(Observation.class));
        assertThat(cholesterol.unmapped()).contains("OBX-17").contains("NTE-2").doesNotContain("OBX-5", "OBX-6");
        // ZPI follows PID, so it belongs to the Patient.
        assertThat(mapped.recordOf(mapped.first(Patient.class)).unmapped()).contains("ZPI");
        assertThat(mapped.records()).flatExtracting(CanonicalRecord::unmapped)
                .allSatisfy(name -> assertThat(name).matches("[A-Z0-9]{3}(-\\d+)?"));
    }

    @Test
    void sourceIds_areStableForAResend_andDifferForAnotherControlId() throws Exception {
        List<String> first = Mapped.of(canaryOru("C-SAME", "2.5.1")).records().stream()
                .map(CanonicalRecord::sourceId).toList();
        List<String> again = Mapped.of(canaryOru("C-SAME", "2.5.1")).records().stream()
                .map(CanonicalRecord::sourceId).toList();
        List<String> other = Mapped.of(canaryOru("C-OTHER", "2.5.1")).records().stream()
                .map(CanonicalRecord::sourceId).toList();

        assertThat(again).isEqualTo(first);
        assertThat(first).allMatch(id -> id.matches("(Patient|Observation|DiagnosticReport)/hl7-[0-9a-f]{32}"));
        // The patient is the same patient; the results are other results.
        assertThat(other.get(0)).isEqualTo(first.get(0));
        assertThat(other.subList(1, other.size())).doesNotContainAnyElementsOf(first);
    }

    @ParameterizedTest(name = "SN {0}")
    @CsvSource(delimiter = ';', value = {
        "^182;          182;  ;    ",
        ">^10;          10;   >;   ",
        "<=^0.5;        0.5;  <=;  ",
        "^10^-^20;      10;   ;    20",
        "^1^:^128;      1;    ;    128"})
    void structuredNumeric_becomesQuantityRangeOrRatio(String sn, String first, String comparator, String second)
            throws Exception {
        Observation obs = single("OBX|1|SN|2345-7^Glucose^LN||" + sn + "|mg/dL^^UCUM|||||F");

        if (sn.contains("^-^")) {
            assertThat(obs.getValueRange().getLow().getValue()).isEqualByComparingTo(first);
            assertThat(obs.getValueRange().getHigh().getValue()).isEqualByComparingTo(second);
        } else if (sn.contains("^:^")) {
            assertThat(obs.getValueRatio().getNumerator().getValue()).isEqualByComparingTo(first);
            assertThat(obs.getValueRatio().getDenominator().getValue()).isEqualByComparingTo(second);
        } else {
            assertThat(obs.getValueQuantity().getValue()).isEqualByComparingTo(first);
            assertThat(obs.getValueQuantity().hasComparator()).isEqualTo(comparator != null);
            if (comparator != null) {
                assertThat(obs.getValueQuantity().getComparator().toCode()).isEqualTo(comparator);
            }
        }
    }

    @ParameterizedTest(name = "OBX-11 {0} -> {1}")
    @CsvSource({"F, final", "P, preliminary", "C, corrected", "D, entered-in-error", "W, entered-in-error",
        "X, cancelled", "I, registered", "R, preliminary", "'', unknown"})
    void resultStatus_mapsToObservationStatus(String hl7, String fhir) throws Exception {
        Observation obs = single("OBX|1|NM|2345-7^Glucose^LN||99|mg/dL^^UCUM|||||" + hl7);

        assertThat(obs.getStatus().toCode()).isEqualTo(fhir);
    }

    @ParameterizedTest(name = "OBX-7 {0}")
    @CsvSource(delimiter = ';', value = {"3.5-5.0; 3.5; 5.0", "70_105; 70; 105", "0.0 - 5.6; 0.0; 5.6",
        ">=10; 10; ", "<5; ; 5", "negative; ; "})
    void referenceRange_keepsItsText_andItsBoundsWhereTheyAreNumbers(String range, String low, String high)
            throws Exception {
        Observation obs = single("OBX|1|NM|2345-7^Glucose^LN||99|mmol/L|" + range + "||||F");

        assertThat(obs.getReferenceRangeFirstRep().getText()).isEqualTo(range);
        assertThat(Optional.ofNullable(obs.getReferenceRangeFirstRep().getLow().getValue()))
                .map(BigDecimal::toPlainString).isEqualTo(Optional.ofNullable(low).map(l -> new BigDecimal(l)
                        .toPlainString()));
        assertThat(Optional.ofNullable(obs.getReferenceRangeFirstRep().getHigh().getValue()))
                .map(BigDecimal::toPlainString).isEqualTo(Optional.ofNullable(high).map(h -> new BigDecimal(h)
                        .toPlainString()));
    }

    @Test
    void unitThatIsNotUcum_staysText_andUcumWithoutASystemIsRecognised() throws Exception {
        Observation notUcum = single("OBX|1|NM|789-8^Erythrocytes^LN||4.06|tera.l-1||||F");
        Observation ucum = single("OBX|1|NM|789-8^Erythrocytes^LN||4.06|10*12/L||||F");

        assertThat(notUcum.getValueQuantity().getUnit()).isEqualTo("tera.l-1");
        assertThat(notUcum.getValueQuantity().hasSystem()).isFalse();
        assertThat(ucum.getValueQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(ucum.getValueQuantity().getCode()).isEqualTo("10*12/L");
    }

    @Test
    void codedValue_becomesACodeableConcept_withSystemsFromTable0396() throws Exception {
        Observation obs = single("OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||260373001^Detected^SCT^DET^Detected^L||||F");

        assertThat(obs.getValueCodeableConcept().getCoding()).extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly("http://snomed.info/sct|260373001",
                        "urn:twinbridge:hl7v2:coding-system:L|DET");
    }

    @Test
    void abnormalFlagsOutsideTheV3Table_keepTheirV2Code() throws Exception {
        Observation obs = single("OBX|1|NM|2345-7^Glucose^LN||30|mg/dL^^UCUM||LL~XYZ||||F");

        assertThat(obs.getInterpretation()).extracting(i -> i.getCodingFirstRep().getSystem() + "|"
                + i.getCodingFirstRep().getCode()).containsExactly(
                        "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation|LL",
                        "http://terminology.hl7.org/CodeSystem/v2-0078|XYZ");
    }

    @Test
    void vitalSignLoincCodes_areCategorisedAsVitalSigns() throws Exception {
        Observation heartRate = single("OBX|1|NM|8867-4^Heart rate^LN||72|/min^^UCUM|||||F");

        assertThat(heartRate.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("vital-signs");
    }

    @Test
    void escapeSequencesAndFormatting_becomePlainText() throws Exception {
        Observation obs = Mapped.of(message(MSH, PID, OBR,
                "OBX|1|FT|8251-1^Comment^LN||line one\\.br\\a \\F\\ b \\S\\ c \\T\\ d \\R\\ e \\E\\ f||||||F",
                "NTE|1||first\\X0d0a\\second")).first(Observation.class);

        assertThat(obs.getValueStringType().getValue()).isEqualTo("line one\na | b ^ c & d ~ e \\ f");
        assertThat(obs.getNoteFirstRep().getText()).isEqualTo("first\nsecond");
    }

    @Test
    void valueTypesThatCannotBeMapped_areLeftUnmapped_notGuessed() throws Exception {
        Mapped mapped = Mapped.of(message(MSH, PID, OBR, "OBX|1|ED|11502-2^Report^LN||^AP^PDF^Base64^JVBERi0=||||||F"));
        Observation obs = mapped.first(Observation.class);

        assertThat(obs.hasValue()).isFalse();
        assertThat(mapped.recordOf(obs).unmapped()).contains("OBX-2", "OBX-5");
    }

    @Test
    void timesWithoutAnOffset_areReadInTheConfiguredZone() throws Exception {
        MappingOptions london = new MappingOptions("lab", Map.of(), Optional.empty(), ZoneId.of("Europe/London"));
        Observation obs = Mapped.of(message(MSH, PID, OBR, "OBX|1|NM|2345-7^Glucose^LN||5|mmol/L|||||F|||20240701120000"),
                london).first(Observation.class);

        assertThat(obs.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-07-01T12:00:00+01:00");
    }

    @Test
    void sharedSampleV24_mapsItsSingleGlucoseResult() throws Exception {
        Mapped mapped = Mapped.of(resource("msft_ORU-R01-RMGEAD.hl7"));
        Observation glucose = mapped.first(Observation.class);

        assertThat(glucose.getValueQuantity().getValue()).isEqualByComparingTo("182");
        assertThat(glucose.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("70");
        assertThat(glucose.getReferenceRangeFirstRep().getHigh().getValue()).isEqualByComparingTo("105");
        // No OBR-22: the report was issued when the message was sent (MSH-7).
        assertThat(mapped.first(DiagnosticReport.class).getIssuedElement().getValueAsString())
                .isEqualTo("2002-02-15T09:30:00+06:00");
    }

    @Test
    void oruWithoutAnyOrder_isRejectedForItsMissingObr() {
        assertThatThrownBy(() -> Mapped.of(message(MSH, PID)))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.rejection().code())
                        .isEqualTo("TB-HL7-031"));
    }

    @Test
    void textHapiCannotParse_isAParseRejection_thatQuotesNoContent() {
        MshHeader header = MshHeader.read(MSH).orElseThrow();

        assertThatThrownBy(() -> new MessageMapper(Mapped.OPTIONS).map(header, "Doe^Jane|garbage", MessageType.ORU_R01))
                .isInstanceOfSatisfying(MappingException.class, e -> {
                    assertThat(e.rejection().code()).isEqualTo("TB-HL7-030");
                    assertThat(e.getMessage()).doesNotContain("Doe").doesNotContain("garbage");
                });
    }
}
