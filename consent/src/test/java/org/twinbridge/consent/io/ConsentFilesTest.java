package org.twinbridge.consent.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsentFilesTest {

    private static final String CONSENT = """
            {"resourceType":"Consent","id":"%s","status":"active","patient":{"reference":"%s"},
             "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
             "provision":{"type":"permit"}}""";
    private static final String PATIENT = """
            {"resourceType":"Patient","id":"p1","name":[{"family":"CANARY-Quimby"}],
             "identifier":[{"system":"urn:mrn","value":"MRN-1"}]}""";

    @TempDir
    Path dir;
    private final ConsentFiles files = new ConsentFiles(FhirContext.forR4Cached());

    private static String consent(String id, String patient) {
        return CONSENT.formatted(id, patient).replace("\n", "");
    }

    @Test
    void read_aResource_aBundleAndNdjson_findsEveryConsentWithItsLocation() throws Exception {
        Path single = Files.writeString(dir.resolve("one.json"), consent("c1", "Patient/p1"));
        Path bundle = Files.writeString(dir.resolve("bundle.json"), """
                {"resourceType":"Bundle","type":"collection","entry":[
                  {"fullUrl":"urn:uuid:0a","resource":%s},
                  {"resource":%s}]}""".formatted(PATIENT, consent("c2", "urn:uuid:0a")));
        Path ndjson = Files.writeString(dir.resolve("many.ndjson"), consent("c3", "Patient/p1") + "\n\n"
                + PATIENT.replace("\n", "") + "\n" + consent("c4", "Patient/p1") + "\n");

        List<ConsentInput> inputs = files.read(List.of(single, bundle, ndjson));

        assertThat(inputs).extracting(i -> i.consent().getIdElement().getIdPart()).containsExactly("c1", "c2", "c3",
                "c4");
        assertThat(inputs).extracting(ConsentInput::location).containsExactly(single.toString(),
                bundle + " entry[1]", ndjson + ":1:1", ndjson + ":4:1");
        assertThat(inputs.get(0).patientInFile()).isEmpty();
        assertThat(inputs.get(1).patientInFile()).hasValueSatisfying(p ->
                assertThat(p.getIdentifierFirstRep().getValue()).isEqualTo("MRN-1"));
        assertThat(inputs.get(2).patientInFile()).isPresent();
    }

    @Test
    void read_badFiles_reportsEveryProblemWithItsPlace_andNoContent() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{ \"name\": \"CANARY-Quimby\" ");
        Path observation = Files.writeString(dir.resolve("obs.ndjson"), consent("c1", "Patient/p1") + "\n"
                + "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"CANARY-Quimby\"}}\n"
                + "not json CANARY-Quimby\n");
        Path patientsOnly = Files.writeString(dir.resolve("patients.json"), PATIENT);

        ConsentInputException e = catchThrowableOfType(ConsentInputException.class,
                () -> files.read(List.of(garbage, observation, patientsOnly, dir.resolve("missing.json"))));

        assertThat(e.problems()).containsExactly(
                garbage + ": TB-CONSENT-002 not a FHIR R4 JSON resource",
                observation + ":3:1: TB-CONSENT-002 not a FHIR R4 JSON resource",
                observation + ":2:1: TB-CONSENT-003 a Observation is not a Consent; a consent file holds Consents "
                        + "(and the Patients they refer to)",
                patientsOnly + ": TB-CONSENT-004 the file holds no Consent",
                dir.resolve("missing.json") + ": TB-CONSENT-001 cannot read the file (NoSuchFileException)");
        assertThat(e.getMessage()).doesNotContain("CANARY");
    }
}
