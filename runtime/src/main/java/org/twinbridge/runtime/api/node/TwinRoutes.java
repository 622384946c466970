package org.twinbridge.runtime.api.node;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ApiRequest;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.ApiResponseJson;
import org.twinbridge.runtime.api.NodeAudit;
import org.twinbridge.runtime.api.PatientLookup;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.dispatch.OutputTable;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.dispatch.TwinOutputs;

/**
 * {@code /api/v1/twins}: a clinician treating a patient reads the patient's current twin outputs (the newest of
 * each plugin). Plugins know patients only by a per-plugin pseudonym; mapping the patient to those pseudonyms is
 * re-identification, so it is allowed for purpose {@code TREAT} only and every read is audited with the
 * clinician's subject.
 */
public final class TwinRoutes {

    private static final int OUTPUTS_PER_PLUGIN = 20;

    private final TwinOutputs outputs;
    private final Supplier<List<Subscriber>> subscribers;
    private final PatientLookup patients;
    private final NodeAudit audit;
    private final FhirContext fhir;

    public TwinRoutes(TwinOutputs outputs, Supplier<List<Subscriber>> subscribers, PatientLookup patients,
            NodeAudit audit, FhirContext fhir) {
        this.outputs = outputs;
        this.subscribers = subscribers;
        this.patients = patients;
        this.audit = audit;
        this.fhir = fhir;
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/twins", Set.of(Role.CLINICIAN), false, this::read));
    }

    private ApiResponse read(ApiRequest request) throws Exception {
        String purpose = request.query("purpose").orElse("");
        if (!purpose.equals("TREAT")) {
            throw new ApiProblem(403, "TB-API-100", "Forbidden", "twin outputs are shown for purpose TREAT only "
                    + "(?purpose=TREAT); they re-identify the patient");
        }
        String key = patients.resolve(request.query("patient").orElseThrow(() -> ApiProblem.badRequest(
                "TB-API-070", "give the patient as ?patient=system|value or ?patient=connector:Patient/id")));
        List<Subscriber> loaded = subscribers.get();
        List<Map<String, Object>> twins = new ArrayList<>();
        for (Subscriber s : loaded) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (OutputTable.StoredOutput o : outputs.latestFor(s.id(), key, OUTPUTS_PER_PLUGIN)) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("seq", o.seq());
                one.put("kind", o.kind());
                one.put("summary", o.summary());
                one.put("receipt", o.receiptId());
                one.put("resource", ApiResponseJson.tree(fhir.newJsonParser().encodeResourceToString(o.resource())));
                items.add(one);
            }
            twins.add(Map.of("plugin", s.id(), "outputs", items));
        }
        audit.record("twin.read", request.principal(), key, Map.of("purpose", purpose,
                "plugins", Integer.toString(loaded.size())));
        return ApiResponse.ok(Map.of("purpose", purpose, "twins", twins));
    }
}
