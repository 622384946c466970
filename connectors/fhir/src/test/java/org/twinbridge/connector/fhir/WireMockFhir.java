package org.twinbridge.connector.fhir;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;

/** A WireMock server on 127.0.0.1 posing as a FHIR server, and the FHIR JSON it answers with. */
final class WireMockFhir {

    static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";

    private WireMockFhir() {
    }

    static WireMockServer start() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.wireMockConfig()
                .bindAddress("127.0.0.1").dynamicPort().containerThreads(8).jettyAcceptors(1));
        server.start();
        return server;
    }

    static String baseUrl(WireMockServer server) {
        return "http://127.0.0.1:" + server.port() + "/fhir";
    }

    /** A searchset page with these observations and, if {@code nextUrl} is not null, a {@code next} link. */
    static String searchset(WireMockServer server, String nextUrl, Observation... observations) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        if (nextUrl != null) {
            bundle.addLink().setRelation(Bundle.LINK_NEXT).setUrl(nextUrl);
        }
        for (Observation observation : observations) {
            bundle.addEntry().setFullUrl(baseUrl(server) + "/Observation/" + observation.getIdElement().getIdPart())
                    .setResource(observation);
        }
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
    }

    static Observation observation(String id, String lastUpdated) {
        Observation observation = new Observation();
        observation.setId(id);
        observation.getMeta().setVersionId("1").setLastUpdated(Date.from(Instant.parse(lastUpdated)));
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().setText("pulse");
        return observation;
    }

    static String operationOutcome(String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.EXCEPTION).setDiagnostics(diagnostics);
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(outcome);
    }
}
