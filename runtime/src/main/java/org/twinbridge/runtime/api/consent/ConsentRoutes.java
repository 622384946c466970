package org.twinbridge.runtime.api.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Consent;
import org.twinbridge.consent.io.ConsentInput;
import org.twinbridge.consent.io.ConsentInputException;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ApiRequest;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.ApiResponseJson;
import org.twinbridge.runtime.api.PatientLookup;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.consent.ConsentAdmin;
import org.twinbridge.runtime.consent.ConsentImport;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.erasure.PatientErasure;

/**
 * {@code /api/v1/consents} and {@code /api/v1/erasures}: a patient's FHIR Consents (current versions, history,
 * create or update, withdraw) and erasure. Writes go through the same {@link ConsentImport} as {@code twinbridge
 * consent import}, so the node decides with them at once.
 */
public final class ConsentRoutes {

    private static final Set<Role> OFFICER = Set.of(Role.PRIVACY_OFFICER);
    private static final Set<Role> READERS = Set.of(Role.PRIVACY_OFFICER, Role.AUDITOR);

    private final ConsentAdmin consents;
    private final Supplier<PatientErasure> erasure;
    private final Supplier<List<Subscriber>> subscribers;
    private final Set<String> connectorIds;
    private final PatientLookup patients;
    private final FhirContext fhir;

    /**
     * @param erasure      built per request, as the CLI builds it per command
     * @param subscribers  the loaded plugins, told about an erasure
     * @param connectorIds the node's connectors, the only allowed {@code ?connector=} values
     */
    public ConsentRoutes(ConsentAdmin consents, Supplier<PatientErasure> erasure,
            Supplier<List<Subscriber>> subscribers, Set<String> connectorIds, PatientLookup patients,
            FhirContext fhir) {
        this.consents = consents;
        this.erasure = erasure;
        this.subscribers = subscribers;
        this.connectorIds = Set.copyOf(connectorIds);
        this.patients = patients;
        this.fhir = fhir;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/consents", READERS, false, this::list),
                new Route("POST", "/api/v1/consents", OFFICER, true, this::store),
                new Route("PUT", "/api/v1/consents/{id}", OFFICER, true, this::store),
                new Route("DELETE", "/api/v1/consents/{id}", OFFICER, true, this::withdraw),
                new Route("GET", "/api/v1/consents/{id}/history", READERS, false, this::history),
                new Route("POST", "/api/v1/erasures", OFFICER, true, this::erase));
    }

    private ApiResponse list(ApiRequest request) throws Exception {
        String key = patients.resolve(required(request, "patient"));
        List<RegisteredConsent> current = consents.current(key);
        return ApiResponse.ok(Map.of("consents", render(current)));
    }

    private ApiResponse history(ApiRequest request) throws Exception {
        String key = patients.resolve(required(request, "patient"));
        String id = "Consent/" + request.path("id");
        List<RegisteredConsent> versions = consents.history(key, id);
        if (versions.isEmpty()) {
            throw ApiProblem.notFound("TB-API-072", "the patient has no " + id);
        }
        return ApiResponse.ok(Map.of("consentId", id, "versions", render(versions)));
    }

    private ApiResponse store(ApiRequest request) throws Exception {
        Consent consent;
        try {
            consent = fhir.newJsonParser().parseResource(Consent.class, request.bodyText());
        } catch (DataFormatException | ClassCastException e) {
            throw ApiProblem.badRequest("TB-API-073", "the body must be a FHIR R4 Consent in JSON");
        }
        if (request.pathParameters().containsKey("id")
                && !request.path("id").equals(consent.getIdElement().getIdPart())) {
            throw ApiProblem.badRequest("TB-API-074", "the Consent's id must match the id in the path");
        }
        Optional<String> connector = request.query("connector");
        if (connector.isPresent() && !connectorIds.contains(connector.get())) {
            throw ApiProblem.badRequest("TB-API-075", "'connector' is not a connector of this node");
        }
        List<ConsentImport.Imported> imported;
        try {
            imported = consents.importAll(List.of(new ConsentInput("request body", consent, Optional.empty())),
                    connector, request.principal().auditActor());
        } catch (ConsentInputException e) {
            throw new ApiProblem(422, "TB-API-076", "Invalid consent", e.getMessage());
        }
        ConsentImport.Imported one = imported.get(0);
        return ApiResponse.json(one.created() ? 201 : 200, Map.of("consentId", one.consentId(), "version",
                one.version(), "created", one.created(), "status", one.status()));
    }

    private ApiResponse withdraw(ApiRequest request) throws Exception {
        String key = patients.resolve(required(request, "patient"));
        String id = "Consent/" + request.path("id");
        ConsentAdmin.Withdrawal out = consents.withdraw(key, id, request.principal().auditActor())
                .orElseThrow(() -> ApiProblem.notFound("TB-API-072", "the patient has no current " + id));
        return ApiResponse.ok(Map.of("consentId", out.consentId(), "version", out.version(), "status",
                out.status()));
    }

    private ApiResponse erase(ApiRequest request) throws Exception {
        String patient = request.jsonBody().path("patient").asText("");
        if (patient.isEmpty()) {
            throw ApiProblem.badRequest("TB-API-077", "give {\"patient\": \"system|value\" or "
                    + "\"connector:Patient/id\"}");
        }
        String key = patients.resolve(patient);
        PatientErasure.Report report = erasure.get().erase(key, subscribers.get(),
                request.principal().auditActor());
        Map<String, Object> out = new LinkedHashMap<>(report.details());
        return ApiResponse.ok(out);
    }

    private List<Map<String, Object>> render(List<RegisteredConsent> consents) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RegisteredConsent r : consents) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("source", r.source());
            one.put("consentId", r.consentId());
            one.put("version", r.version());
            one.put("resource", ApiResponseJson.tree(fhir.newJsonParser().encodeResourceToString(r.resource())));
            out.add(one);
        }
        return out;
    }

    private static String required(ApiRequest request, String name) throws ApiProblem {
        return request.query(name).orElseThrow(() -> ApiProblem.badRequest("TB-API-070", "give the patient as "
                + "?patient=system|value or ?patient=connector:Patient/id (URL-encoded)"));
    }
}
