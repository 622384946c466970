package com.example.connector.csvlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.sdk.model.CanonicalRecord;

/** The mapping from a lab's CSV rows to FHIR R4 Observations, without Camel or files. */
class CsvResultsTest {

    private static final String MRN = "http://hospital.example.org/mrn";

    private static List<CanonicalRecord> map(String csv) throws Exception {
        return CsvResults.map("lab", MRN, csv.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachRow_becomesALaboratoryObservation_linkedByThePatientsNumber() throws Exception {
        List<CanonicalRecord> records = map("""
                result_id,patient_id,loinc,display,value,unit,effective,status
                R-1,MRN-1,2345-7,Glucose,5.4,mmol/L,2026-12-01T08:15:00Z,final
                R-2,MRN-1,29463-7,Body weight,81.2,kg,2026-12-01,preliminary
                """);

        assertThat(records).hasSize(2);
        CanonicalRecord first = records.get(0);
        assertThat(first.connectorId()).isEqualTo("lab");
        assertThat(first.sourceId()).isEqualTo("Observation/R-1");
        assertThat(first.unmapped()).isEmpty();
        Observation obs = (Observation) first.resource();
        assertThat(obs.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(obs.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("laboratory");
        assertThat(obs.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(obs.getCode().getCodingFirstRep().getCode()).isEqualTo("2345-7");
        assertThat(obs.getSubject().getIdentifier().getSystem()).isEqualTo(MRN);
        assertThat(obs.getSubject().getIdentifier().getValue()).isEqualTo("MRN-1");
        assertThat(obs.getValueQuantity().getValue()).isEqualByComparingTo("5.4");
        assertThat(obs.getValueQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(obs.getValueQuantity().getCode()).isEqualTo("mmol/L");
        assertThat(obs.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-12-01T08:15:00Z");
        assertThat(((Observation) records.get(1).resource()).getStatus())
                .isEqualTo(Observation.ObservationStatus.PRELIMINARY);
    }

    @Test
    void aTextResult_becomesValueString_andQuotedFieldsKeepTheirCommas() throws Exception {
        List<CanonicalRecord> records = map("patient_id,loinc,value,unit,effective,display\r\n"
                + "MRN-2,5195-3,<0.5,,2026-12-01,\"Hepatitis B surface Ag, serum\"\r\n");

        Observation obs = (Observation) records.get(0).resource();
        assertThat(obs.getValueStringType().getValue()).isEqualTo("<0.5");
        assertThat(obs.getCode().getCodingFirstRep().getDisplay()).isEqualTo("Hepatitis B surface Ag, serum");
        assertThat(records.get(0).sourceId()).as("no result_id: a hash of the row").startsWith("Observation/sha256:");
    }

    @Test
    void theSameRow_getsTheSameSourceId_soItIsJournalledOnce() throws Exception {
        String csv = "patient_id,loinc,value,unit,effective\nMRN-3,2345-7,6.1,mmol/L,2026-12-02\n";
        assertThat(map(csv).get(0).sourceId()).isEqualTo(map(csv).get(0).sourceId());
    }

    @Test
    void anUnknownColumn_isNotDroppedSilently_butListedAsUnmapped() throws Exception {
        List<CanonicalRecord> records = map("patient_id,loinc,value,unit,effective,comment\n"
                + "MRN-4,2345-7,6.1,mmol/L,2026-12-02,haemolysed\n");
        assertThat(records.get(0).unmapped()).containsExactly("csv:comment");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no loinc column     | patient_id,value,unit,effective\\nMRN,1,kg,2026-12-01     | TB-CSVLAB-002 | 'loinc'",
        "bad loinc           | patient_id,loinc,value,unit,effective\\nMRN,glucose,1,kg,2026-12-01 | TB-CSVLAB-003 | row 2, column 'loinc'",
        "bad date            | patient_id,loinc,value,unit,effective\\nMRN,2345-7,1,kg,yesterday | TB-CSVLAB-003 | row 2, column 'effective'",
        "number without unit | patient_id,loinc,value,unit,effective\\nMRN,2345-7,5.4,,2026-12-01 | TB-CSVLAB-003 | row 2, column 'unit'",
        "short row           | patient_id,loinc,value,unit,effective\\nMRN,2345-7,5.4 | TB-CSVLAB-003 | row 2 has 3 fields",
        "header only         | patient_id,loinc,value,unit,effective\\n | TB-CSVLAB-002 | no rows",
        "bad status          | patient_id,loinc,value,unit,effective,status\\nMRN,2345-7,5.4,mmol/L,2026-12-01,guessed | TB-CSVLAB-003 | column 'status'"})
    void aBadFile_isRejected_namingRowAndColumn_neverTheValue(String what, String csv, String code, String reason) {
        String text = csv.replace("\\n", "\n");
        assertThatThrownBy(() -> map(text)).isInstanceOfSatisfying(CsvResults.CsvException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(reason).doesNotContain("MRN").doesNotContain("glucose")
                    .doesNotContain("yesterday").doesNotContain("guessed");
        });
    }

    @Test
    void notUtf8_isRejected() {
        byte[] latin1 = "patient_id,loinc,value,unit,effective\nM\u00dcLLER,2345-7,1,kg,2026-12-01\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> CsvResults.map("lab", MRN, latin1)).hasMessageContaining("not UTF-8");
    }
}
