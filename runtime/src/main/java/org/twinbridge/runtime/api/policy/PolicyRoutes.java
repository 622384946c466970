package org.twinbridge.runtime.api.policy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.explain.Explanation;
import org.twinbridge.policy.explain.PolicyExplainer;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.policy.model.PurposeOfUse;
import org.twinbridge.policy.yaml.LocatedError;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ApiRequest;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.ApiResponseJson;
import org.twinbridge.runtime.api.NodeAudit;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.policy.PolicyHolder;
import org.twinbridge.runtime.policy.PolicyReloader;

/**
 * {@code /api/v1/policies}: list, read, upload (validated, 422 with located errors), activate, roll back, explain
 * (a dry run against any stored version) and diff. See docs/api.md.
 */
public final class PolicyRoutes {

    private static final Set<Role> READERS = Set.of(Role.PRIVACY_OFFICER, Role.INTEGRATION_ADMIN, Role.AUDITOR);
    private static final Set<Role> OFFICER = Set.of(Role.PRIVACY_OFFICER);
    private static final Set<Role> REVIEWERS = Set.of(Role.PRIVACY_OFFICER, Role.AUDITOR);

    private final PolicyVersions versions;
    private final PolicyHolder holder;
    private final java.util.Optional<Path> policyDir;
    private final NodeAudit audit;
    private final FhirContext fhir;
    private final Clock clock;

    public PolicyRoutes(PolicyVersions versions, PolicyHolder holder, java.util.Optional<Path> policyDir,
            NodeAudit audit, FhirContext fhir, Clock clock) {
        this.versions = versions;
        this.holder = holder;
        this.policyDir = policyDir;
        this.audit = audit;
        this.fhir = fhir;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/policies", READERS, false, r -> list()),
                new Route("POST", "/api/v1/policies", OFFICER, true, this::upload),
                new Route("POST", "/api/v1/policies/rollback", OFFICER, true, this::rollback),
                new Route("GET", "/api/v1/policies/{version}", READERS, false, this::get),
                new Route("POST", "/api/v1/policies/{version}/activate", OFFICER, true, this::activate),
                new Route("POST", "/api/v1/policies/{version}/explain", OFFICER, false, this::explain),
                new PolicyTestRoute(versions, policyDir, fhir, clock).route(this::version),
                new Route("GET", "/api/v1/policies/{version}/diff/{other}", REVIEWERS, false, this::diff));
    }

    /** Finds a stored version by the path's text, or a 404 problem. */
    @FunctionalInterface
    interface VersionLookup {
        PolicyVersions.Version version(String text) throws Exception;
    }

    static List<Map<String, Object>> errors(PolicyException e) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (LocatedError error : e.errors()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("file", error.file());
            one.put("line", error.line());
            one.put("column", error.column());
            one.put("code", error.code());
            one.put("message", error.message());
            errors.add(one);
        }
        return errors;
    }

    private ApiResponse list() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", active());
        List<Object> all = new ArrayList<>();
        for (PolicyVersions.Version v : versions.list()) {
            all.add(describe(v));
        }
        out.put("versions", all);
        List<Object> activations = new ArrayList<>();
        for (PolicyVersions.Activation a : versions.activations()) {
            activations.add(Map.of("version", a.number(), "activatedBy", a.subject(), "activatedAt", a.at().toString()));
        }
        out.put("activations", activations);
        return ApiResponse.ok(out);
    }

    private Map<String, Object> active() throws Exception {
        Map<String, Object> active = new LinkedHashMap<>();
        active.put("policyVersion", holder.policyVersion());
        active.put("description", holder.current().description());
        Object number = null;
        for (PolicyVersions.Version v : versions.list()) {
            if (v.policyVersion().equals(holder.policyVersion())) {
                number = v.number();
            }
        }
        // null when the active set was not uploaded through the API (e.g. edited in the policy directory).
        active.put("version", number);
        return active;
    }

    private static Map<String, Object> describe(PolicyVersions.Version v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", v.number());
        out.put("policySet", v.policySet());
        out.put("policyVersion", v.policyVersion());
        out.put("uploadedBy", v.uploadedBy());
        out.put("uploadedAt", v.uploadedAt().toString());
        out.put("files", v.files());
        return out;
    }

    private ApiResponse get(ApiRequest request) throws Exception {
        PolicyVersions.Version v = version(request.path("version"));
        Map<String, Object> out = describe(v);
        out.put("content", versions.files(v.number()));
        return ApiResponse.ok(out);
    }

    private ApiResponse upload(ApiRequest request) throws Exception {
        Map<String, String> files = new TreeMap<>();
        if (request.contentType().startsWith("application/json")) {
            JsonNode body = request.jsonBody();
            JsonNode given = body.path("files");
            if (!given.isObject() || given.size() == 0) {
                throw ApiProblem.badRequest("TB-API-061", "give the policy files as {\"files\": {\"policy.yaml\": "
                        + "\"...\", \"labels.yaml\": \"...\"}}");
            }
            for (var it = given.fields(); it.hasNext();) {
                var file = it.next();
                if (!file.getValue().isTextual()) {
                    throw ApiProblem.badRequest("TB-API-061", "file '" + file.getKey() + "' must be a string");
                }
                files.put(file.getKey(), file.getValue().asText());
            }
        } else if (request.contentType().startsWith("application/yaml")
                || request.contentType().startsWith("text/yaml")) {
            files.put("policy.yaml", request.bodyText());
        } else {
            throw new ApiProblem(415, "TB-API-062", "Unsupported media type", "upload a policy as application/yaml "
                    + "(one policy.yaml) or application/json ({\"files\": {name: text}})");
        }
        for (String name : files.keySet()) {
            if (!PolicyVersions.validFileName(name)) {
                throw ApiProblem.badRequest("TB-API-063", "file name '" + name + "' is not allowed; use names such "
                        + "as policy.yaml and labels.yaml (letters, digits, '.', '_', '-', ending .yaml)");
            }
        }
        try {
            PolicyVersions.Stored stored = versions.upload(files, request.principal().subject(), clock.instant());
            if (stored.created()) {
                audit.record("policy.upload", request.principal(), "", Map.of("version",
                        Integer.toString(stored.version().number()), "policy_version", stored.version().policyVersion()));
            }
            return ApiResponse.json(stored.created() ? 201 : 200, describe(stored.version()));
        } catch (PolicyException e) {
            throw new ApiProblem(422, "TB-API-064", "Invalid policy", e.errors().size() + " error(s); the policy "
                    + "was not stored", errors(e));
        }
    }

    private ApiResponse activate(ApiRequest request) throws Exception {
        return ApiResponse.ok(activate(version(request.path("version")), request, "policy.activate"));
    }

    private ApiResponse rollback(ApiRequest request) throws Exception {
        List<PolicyVersions.Activation> activations = versions.activations();
        Object current = active().get("version");
        for (int i = activations.size() - 1; i >= 0; i--) {
            int candidate = activations.get(i).number();
            if (current == null || candidate != (Integer) current) {
                return ApiResponse.ok(activate(version(Integer.toString(candidate)), request, "policy.rollback"));
            }
        }
        throw ApiProblem.conflict("TB-API-066", "there is no earlier activated version to roll back to");
    }

    private Map<String, Object> activate(PolicyVersions.Version v, ApiRequest request, String kind) throws Exception {
        Path dir = policyDir.orElseThrow(() -> ApiProblem.conflict("TB-API-065", "this node has no policy "
                + "directory (policies.dir); versions can be uploaded and explained but not activated"));
        versions.install(v.number(), dir, request.principal().subject(), clock.instant());
        PolicyHolder.Active next = PolicyReloader.load(dir, fhir);
        PolicyHolder.Active previous = holder.activate(next);
        audit.record(kind, request.principal(), "", Map.of("version", Integer.toString(v.number()),
                "policy_version", holder.policyVersion(), "description", next.description(),
                "previous", previous.description()));
        return active();
    }

    private ApiResponse explain(ApiRequest request) throws Exception {
        PolicyVersions.Version v = version(request.path("version"));
        JsonNode body = request.jsonBody();
        String plugin = body.path("plugin").asText("");
        String purpose = body.path("purpose").asText("");
        if (plugin.isEmpty() || !PurposeOfUse.isKnown(purpose) || !body.path("record").isObject()) {
            throw ApiProblem.badRequest("TB-API-067", "give {\"plugin\": id, \"purpose\": a PurposeOfUse code such "
                    + "as TREAT, \"record\": a FHIR R4 resource, \"consentGiven\": true|false}");
        }
        Resource record;
        try {
            record = (Resource) fhir.newJsonParser().parseResource(body.path("record").toString());
        } catch (DataFormatException | ClassCastException e) {
            throw ApiProblem.badRequest("TB-API-068", "'record' is not a FHIR R4 resource");
        }
        PolicyExplainer explainer = new PolicyExplainer(fhir, new PolicyDecisionPoint(versions.load(v.number())),
                LocalDate.now(clock));
        Explanation e = explainer.explain(plugin, purpose, record, body.path("consentGiven").asBoolean(false));
        Decision d = e.finalDecision();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", v.number());
        out.put("resourceType", e.resourceType());
        out.put("decision", d.permitted() ? "permit" : "deny");
        if (d instanceof Decision.Deny deny) {
            out.put("reason", deny.reason());
        }
        out.put("policyVersion", d.policyVersion());
        out.put("rules", d.rules());
        out.put("labels", new TreeSet<>(e.labels()));
        out.put("consent", e.consent().orElse(null));
        out.put("obligations", e.obligations());
        out.put("view", e.view().isPresent()
                ? ApiResponseJson.tree(fhir.newJsonParser().encodeResourceToString(e.view().get())) : null);
        return ApiResponse.ok(out);
    }

    private ApiResponse diff(ApiRequest request) throws Exception {
        PolicyVersions.Version a = version(request.path("version"));
        PolicyVersions.Version b = version(request.path("other"));
        Map<String, String> before = versions.files(a.number());
        Map<String, String> after = versions.files(b.number());
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        Map<String, Object> files = new LinkedHashMap<>();
        for (String name : names) {
            String x = before.getOrDefault(name, "");
            String y = after.getOrDefault(name, "");
            if (!x.equals(y)) {
                files.put(name, LineDiff.diff(x, y).stream().map(LineDiff.Line::toString).toList());
            }
        }
        return ApiResponse.ok(Map.of("from", a.number(), "to", b.number(), "files", files));
    }

    private PolicyVersions.Version version(String text) throws Exception {
        try {
            return versions.get(Integer.parseInt(text)).orElseThrow(() -> ApiProblem.notFound("TB-API-060",
                    "no policy version " + text));
        } catch (NumberFormatException e) {
            throw ApiProblem.notFound("TB-API-060", "policy versions are numbered 1, 2, ...; not '" + text + "'");
        }
    }
}
