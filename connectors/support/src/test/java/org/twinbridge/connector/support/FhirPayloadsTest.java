package org.twinbridge.connector.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class FhirPayloadsTest {

    private final FhirPayloads payloads = new FhirPayloads(FhirContext.forR4Cached());

    @Test
    void parseJson_transactionBundle_unpacksEntriesAndRewritesUrnReferences() throws Exception {
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:7f3c1d52-0000-4000-8000-000000000001",
                   "resource":{"resourceType":"Patient","identifier":[{"system":"urn:mrn","value":"A1"}]},
                   "request":{"method":"POST","url":"Patient"}},
                  {"fullUrl":"urn:uuid:7f3c1d52-0000-4000-8000-000000000002",
                   "resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},
                     "subject":{"reference":"urn:uuid:7f3c1d52-0000-4000-8000-000000000001"}},
                   "request":{"method":"POST","url":"Observation"}}]}
                """;
        FhirPayloads.Parsed parsed = payloads.parseJson(bytes(bundle));

        assertThat(parsed.resources()).hasSize(2);
        assertThat(parsed.resources().get(0)).isInstanceOf(Patient.class);
        Observation obs = (Observation) parsed.resources().get(1);
        assertThat(obs.getSubject().getReference()).isEqualTo("Patient/7f3c1d52-0000-4000-8000-000000000001");
        assertThat(parsed.records("drop")).extracting(r -> r.sourceId())
                .containsExactly("Patient/7f3c1d52-0000-4000-8000-000000000001",
                        "Observation/7f3c1d52-0000-4000-8000-000000000002");
    }

    @Test
    void parseJson_unknownElement_isReportedByNameNotDropped() throws Exception {
        FhirPayloads.Parsed parsed = payloads.parseJson(bytes(
                "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"favouriteColour\":\"Secret Value\"}"));

        assertThat(parsed.unmapped()).singleElement().asString().contains("favouriteColour")
                .doesNotContain("Secret");
    }

    @Test
    void parseJson_sameContentWithoutId_getsTheSameSourceId() throws Exception {
        String obs = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"hr\"}}";
        String first = payloads.parseJson(bytes(obs)).records("c").get(0).sourceId();
        String second = payloads.parseJson(bytes(obs)).records("c").get(0).sourceId();

        assertThat(first).startsWith("Observation/sha256:").isEqualTo(second);
    }

    @Test
    void parseJson_syntaxError_reportsPositionButNoContent() {
        assertThatThrownBy(() -> payloads.parseJson(bytes("{\"resourceType\": Smith-Jones }")))
                .isInstanceOf(PayloadException.class)
                .hasMessageContaining("TB-PAYLOAD-001").hasMessageContaining("line 1")
                .hasMessageNotContaining("Smith");
    }

    @Test
    void parseJson_invalidDate_isRejectedWithoutTheValue() {
        assertThatThrownBy(() -> payloads.parseJson(bytes(
                "{\"resourceType\":\"Patient\",\"birthDate\":\"1970-13-45-Jones\"}")))
                .isInstanceOf(PayloadException.class).hasMessageContaining("TB-PAYLOAD-003")
                .hasMessageNotContaining("Jones");
    }

    @Test
    void parseJson_notAResource_isRejected() {
        assertThatThrownBy(() -> payloads.parseJson(bytes("{\"name\":\"Jane\"}")))
                .hasMessageContaining("TB-PAYLOAD-002").hasMessageNotContaining("Jane");
        assertThatThrownBy(() -> payloads.parseJson(bytes("{\"resourceType\":\"jane doe\"}")))
                .hasMessageContaining("TB-PAYLOAD-002").hasMessageNotContaining("jane");
    }

    @Test
    void parseNdjson_readsEveryLineAndNamesTheBadOne() throws Exception {
        String ok = "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n\n{\"resourceType\":\"Patient\",\"id\":\"b\"}\n";
        assertThat(payloads.parseNdjson(bytes(ok)).resources()).hasSize(2);

        assertThatThrownBy(() -> payloads.parseNdjson(bytes(ok + "{oops Smith\n")))
                .hasMessageContaining("line 4").hasMessageNotContaining("Smith");
        assertThatThrownBy(() -> payloads.parseNdjson(bytes("\n\n"))).hasMessageContaining("TB-PAYLOAD-004");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
