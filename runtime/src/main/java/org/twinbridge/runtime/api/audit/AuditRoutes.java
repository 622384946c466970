package org.twinbridge.runtime.api.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ApiRequest;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.PatientLookup;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.audit.AuditLog;
import org.twinbridge.runtime.audit.AuditQuery;
import org.twinbridge.runtime.audit.AuditRecord;
import org.twinbridge.runtime.audit.JdbcAuditLog;
import org.twinbridge.runtime.audit.export.FhirAuditEvents;

/**
 * {@code /api/v1/audit}: the audit trail with the CLI's filters, its verification, and its export as FHIR
 * AuditEvent NDJSON.
 */
public final class AuditRoutes {

    private static final Set<Role> READERS = Set.of(Role.PRIVACY_OFFICER, Role.AUDITOR);
    private static final int DEFAULT_LIMIT = 1000;
    private static final int MAX_LIMIT = 10_000;
    private static final java.util.regex.Pattern CONSENT_ID = java.util.regex.Pattern.compile("[A-Za-z0-9.-]{1,64}");

    private final AuditLog log;
    private final String nodeId;
    private final PatientLookup patients;

    /** @param nodeId names the node in exported AuditEvents */
    public AuditRoutes(AuditLog log, String nodeId, PatientLookup patients) {
        this.log = log;
        this.nodeId = nodeId;
        this.patients = patients;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/audit", READERS, false, this::query),
                new Route("GET", "/api/v1/audit/verify", READERS, false, r -> verify()),
                new Route("GET", "/api/v1/audit/export", READERS, false, this::export));
    }

    private ApiResponse query(ApiRequest request) throws Exception {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (AuditRecord r : records(request)) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("position", r.position());
            one.put("recordedAt", r.recordedAt().toString());
            one.put("kind", r.kind());
            one.put("actor", r.actor());
            one.put("subject", r.subject());
            one.put("details", new java.util.TreeMap<>(r.details()));
            out.add(one);
        }
        return ApiResponse.ok(Map.of("entries", out));
    }

    private ApiResponse export(ApiRequest request) throws Exception {
        return ApiResponse.text(200, "application/fhir+ndjson", FhirAuditEvents.ndjson(records(request), nodeId));
    }

    private List<AuditRecord> records(ApiRequest request) throws Exception {
        Optional<String> patient = Optional.empty();
        if (request.query("patient").isPresent()) {
            patient = Optional.of(patients.resolve(request.query("patient").get()));
        } else if (request.query("patientKey").isPresent()) {
            patient = request.query("patientKey");
        }
        Optional<Instant> since;
        try {
            since = request.query("since").map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("TB-API-080", "'since' must be an instant such as 2026-11-29T10:00:00Z");
        }
        int limit = request.limit(DEFAULT_LIMIT, MAX_LIMIT);
        AuditQuery query = new AuditQuery(request.query("plugin"), patient, request.query("purpose"),
                request.query("outcome"), since, request.query("kind"), request.query("receipt"),
                consent(request.query("consent")), limit);
        return log.query(query);
    }

    /** {@code Consent/abc} or {@code abc}, a FHIR logical id; as the decision log names it. */
    static Optional<String> consent(Optional<String> given) throws ApiProblem {
        if (given.isEmpty()) {
            return given;
        }
        String id = given.get().startsWith("Consent/") ? given.get().substring("Consent/".length()) : given.get();
        if (!CONSENT_ID.matcher(id).matches()) {
            throw ApiProblem.badRequest("TB-API-082", "'consent' must be a consent id such as Consent/abc or abc "
                    + "(letters, digits, '-' and '.', at most 64)");
        }
        return Optional.of("Consent/" + id);
    }

    private ApiResponse verify() throws Exception {
        JdbcAuditLog.Verification v = log.verify();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("intact", v.intact());
        out.put("entries", v.chain().entries());
        out.put("checkpointsVerified", v.chain().checkpointsVerified());
        out.put("lastCheckpoint", v.chain().lastCheckpoint());
        out.put("headHash", v.chain().headHash());
        out.put("problem", v.chain().problem().map(Object::toString).orElse(null));
        out.put("unchainedRows", v.unchainedRows());
        out.put("decisionRowsChecked", v.decisionRowsChecked());
        out.put("decisionRowsUnmatched", v.decisionRowsUnmatched());
        out.put("notes", java.util.stream.Stream.concat(java.util.stream.Stream.concat(v.unchainedNote().stream(),
                v.headNote().stream()), v.warnings().stream()).toList());
        return ApiResponse.ok(out);
    }
}
