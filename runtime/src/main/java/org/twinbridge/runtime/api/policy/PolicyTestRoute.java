package org.twinbridge.runtime.api.policy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.explain.PolicyExplainer;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.policy.policytest.PolicyTestResult;
import org.twinbridge.policy.policytest.PolicyTestSuite;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.consent.FileConsents;

/**
 * {@code POST /api/v1/policies/{version}/test}: runs the node's policy tests (the {@code tests/} folder of
 * {@code policies.dir}, as {@code twinbridge policy test} reads it) against a stored version, active or not, so an
 * officer sees before activating whether a new version still does what the tests say. A dry run: nothing changes.
 */
final class PolicyTestRoute {

    private final PolicyVersions versions;
    private final Optional<Path> policyDir;
    private final FhirContext fhir;
    private final Clock clock;

    PolicyTestRoute(PolicyVersions versions, Optional<Path> policyDir, FhirContext fhir, Clock clock) {
        this.versions = versions;
        this.policyDir = policyDir;
        this.fhir = fhir;
        this.clock = clock;
    }

    Route route(PolicyRoutes.VersionLookup lookup) {
        return new Route("POST", "/api/v1/policies/{version}/test", Set.of(Role.PRIVACY_OFFICER), false, request -> {
            PolicyVersions.Version v = lookup.version(request.path("version"));
            Path dir = policyDir.orElseThrow(() -> ApiProblem.conflict("TB-API-065", "this node has no policy "
                    + "directory (policies.dir), so it has no policy tests"));
            List<PolicyTestResult> results;
            try {
                PolicyTestSuite suite = PolicyTestSuite.load(fhir, dir);
                PolicyExplainer explainer = new PolicyExplainer(fhir, new PolicyDecisionPoint(versions.load(
                        v.number())), LocalDate.now(clock));
                results = suite.run(explainer, FileConsents.loader(fhir, clock));
            } catch (PolicyException e) {
                throw new ApiProblem(422, "TB-API-069", "Policy tests cannot run", e.errors().size()
                        + " error(s) in the policy tests or the version", PolicyRoutes.errors(e));
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (PolicyTestResult r : results) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("name", r.testCase().name());
                one.put("location", relative(r.testCase().location(), dir));
                one.put("decision", r.decision());
                one.put("passed", r.passed());
                one.put("failures", r.failures());
                out.add(one);
            }
            long failed = results.stream().filter(r -> !r.passed()).count();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("version", v.number());
            body.put("passed", results.size() - failed);
            body.put("failed", failed);
            body.put("results", out);
            return ApiResponse.ok(body);
        });
    }

    /** Test locations name files inside the policy directory; the node's own paths stay out of answers. */
    private static String relative(String location, Path dir) {
        String prefix = dir.toString() + java.io.File.separator;
        return location.startsWith(prefix) ? location.substring(prefix.length()) : location;
    }
}
