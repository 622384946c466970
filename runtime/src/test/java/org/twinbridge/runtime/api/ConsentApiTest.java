package org.twinbridge.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consents, erasure and the clinician's twin read over HTTP, on a running node. */
class ConsentApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATIENT = "urn%3Amrn%7C4711";

    @TempDir
    Path dir;
    private ApiFixture api;
    private String officer;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(dir, 10_000);
        officer = api.tokens.token("po-sub-1", "privacy-officer");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String consent(String id, String provision) {
        return """
                {"resourceType": "Consent", "id": "%s", "status": "active",
                 "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                       "code": "patient-privacy"}]},
                 "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
                 "patient": {"identifier": {"system": "urn:mrn", "value": "4711"}},
                 "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                                            "code": "OPTIN"}]},
                 "provision": {"type": "%s"}}
                """.formatted(id, provision);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return api.send(HttpRequest.newBuilder(api.uri(path)).header("Authorization", "Bearer " + officer)
                .header("Content-Type", "application/fhir+json").method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void officer_storesVersionsWithdrawsAndErases() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/consents", consent("c1", "permit"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(send("POST", "/api/v1/consents", consent("c1", "permit")).statusCode()).isEqualTo(200);
        HttpResponse<String> changed = send("PUT", "/api/v1/consents/c1", consent("c1", "deny"));
        assertThat(JSON.readTree(changed.body()).path("version").asInt()).isEqualTo(2);

        JsonNode current = JSON.readTree(send("GET", "/api/v1/consents?patient=" + PATIENT, null).body());
        assertThat(current.path("consents")).hasSize(1);
        assertThat(current.path("consents").get(0).path("resource").path("provision").path("type").asText())
                .isEqualTo("deny");

        HttpResponse<String> withdrawn = send("DELETE", "/api/v1/consents/c1?patient=" + PATIENT, null);
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        assertThat(JSON.readTree(withdrawn.body()).path("status").asText()).isEqualTo("inactive");
        JsonNode history = JSON.readTree(send("GET", "/api/v1/consents/c1/history?patient=" + PATIENT, null).body());
        assertThat(history.path("versions")).extracting(v -> v.path("version").asInt()).containsExactly(1, 2, 3);

        JsonNode withdrawals = JSON.readTree(send("GET", "/api/v1/audit?kind=consent.withdraw", null).body());
        assertThat(withdrawals.path("entries").get(0).path("actor").asText()).isEqualTo("user:po-sub-1");

        HttpResponse<String> erased = send("POST", "/api/v1/erasures", "{\"patient\": \"urn:mrn|4711\"}");
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        HttpResponse<String> gone = send("GET", "/api/v1/consents?patient=" + PATIENT, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).doesNotContain("4711");
        assertThat(JSON.readTree(send("GET", "/api/v1/audit?kind=consent.erasure", null).body()).path("entries")
                .get(0).path("actor").asText()).isEqualTo("user:po-sub-1");
    }

    @Test
    void notAConsent_is400() throws Exception {
        assertThat(send("POST", "/api/v1/consents", "{\"resourceType\": \"Patient\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void twins_areForTreatmentOnly_andEveryReadIsAudited() throws Exception {
        send("POST", "/api/v1/consents", consent("c9", "permit"));
        String clinician = api.tokens.token("clin-sub-2", "clinician");

        HttpResponse<String> research = api.get("/api/v1/twins?purpose=HRESCH&patient=" + PATIENT, clinician);
        assertThat(research.statusCode()).isEqualTo(403);
        assertThat(research.body()).contains("TB-API-100");

        HttpResponse<String> treat = api.get("/api/v1/twins?purpose=TREAT&patient=" + PATIENT, clinician);
        assertThat(treat.statusCode()).as(treat.body()).isEqualTo(200);
        JsonNode reads = JSON.readTree(send("GET", "/api/v1/audit?kind=twin.read", null).body()).path("entries");
        assertThat(reads).hasSize(1);
        assertThat(reads.get(0).path("actor").asText()).isEqualTo("user:clin-sub-2");
        assertThat(reads.get(0).path("details").path("purpose").asText()).isEqualTo("TREAT");
    }
}
