package org.twinbridge.runtime.api.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ResourceFactory;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ApiRequest;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.NodeAudit;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.plugin.PluginControl;
import org.twinbridge.runtime.plugin.PluginScan;
import org.twinbridge.runtime.policy.PolicyHolder;
import org.twinbridge.sdk.model.CodeFilter;

/**
 * {@code /api/v1/plugins}: every plugin jar with its signature check and manifest, the gap between what a plugin
 * requests and what the active policy grants it, and enable/disable. Disabling stops the plugin's dispatch route:
 * the plugin stays loaded and its cursor stays where it is, so enabling resumes delivery where it stopped. The
 * switch lasts until the node restarts (a restart enables every admitted plugin).
 */
public final class PluginRoutes {

    private static final Set<Role> READERS = Set.of(Role.PRIVACY_OFFICER, Role.INTEGRATION_ADMIN, Role.AUDITOR);
    private static final Set<Role> ADMIN = Set.of(Role.INTEGRATION_ADMIN);

    private final PluginControl plugins;
    private final PolicyHolder policy;
    private final NodeAudit audit;

    public PluginRoutes(PluginControl plugins, PolicyHolder policy, NodeAudit audit) {
        this.plugins = plugins;
        this.policy = policy;
        this.audit = audit;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/plugins", READERS, false, r -> list()),
                new Route("POST", "/api/v1/plugins/{id}/disable", ADMIN, true, r -> toggle(r, false)),
                new Route("POST", "/api/v1/plugins/{id}/enable", ADMIN, true, r -> toggle(r, true)));
    }

    private ApiResponse list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PluginScan.PluginFile file : plugins.files()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", file.pluginId());
            one.put("kind", file.kind().label());
            one.put("version", file.version());
            one.put("jar", file.jar().getFileName().toString());
            one.put("signature", file.signature().status().name());
            one.put("signer", file.signature().signer().orElse(null));
            one.put("admitted", file.admitted());
            one.put("refusal", file.refusal().orElse(null));
            if (file.kind() == org.twinbridge.runtime.plugin.PluginKind.CONNECTOR) {
                // A connector plugin has no subscriber: it is "loaded" when the node runs its connector types.
                List<String> loadedTypes = file.connectorTypes().stream()
                        .filter(t -> file.pluginId().equals(plugins.connectorTypes().get(t))).toList();
                one.put("connectorTypes", file.connectorTypes());
                one.put("state", loadedTypes.isEmpty() ? (file.admitted() ? "not-loaded" : "refused") : "loaded");
                one.put("runs", org.twinbridge.runtime.plugin.ConnectorPluginHost.IN_NODE);
                out.add(one);
                continue;
            }
            one.put("state", subscriber(file.pluginId()).isPresent() ? "loaded" : file.admitted() ? "not-loaded"
                    : "refused");
            Optional<Subscriber> loaded = subscriber(file.pluginId());
            loaded.ifPresent(s -> {
                one.put("enabled", enabled(s.id()));
                one.put("purpose", s.purpose());
                one.put("manifest", manifest(s));
                one.put("gap", gap(s));
            });
            out.add(one);
        }
        return ApiResponse.ok(Map.of("plugins", out));
    }

    private static Map<String, Object> manifest(Subscriber s) {
        var m = s.manifest();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vendor", m.vendor());
        out.put("description", m.description());
        out.put("resourceTypes", new TreeSet<>(m.request().resourceTypes()));
        out.put("codes", m.request().codes().stream().map(CodeFilter::toString).sorted().toList());
        out.put("purposes", new TreeSet<>(m.request().purposes()));
        out.put("outputs", m.outputs().stream().map(Enum::name).toList());
        return out;
    }

    /**
     * What the plugin asks for and the active policy does not grant: for each requested resource type, the decision
     * on an unlabelled record of that type for the plugin's purpose. (Code- or label-specific rules can narrow
     * this further per record; explain shows those for a given record.)
     */
    private Map<String, Object> gap(Subscriber s) {
        List<String> granted = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (String type : new TreeSet<>(s.manifest().request().resourceTypes())) {
            Resource sample;
            try {
                sample = ResourceFactory.createResource(type);
            } catch (org.hl7.fhir.exceptions.FHIRException e) {
                denied.add(type);
                continue;
            }
            boolean permitted = policy.decide(new AccessRequest(s.id(), s.purpose(), sample, Set.of()))
                    .permitted();
            (permitted ? granted : denied).add(type);
        }
        return Map.of("granted", granted, "notGranted", denied, "policyVersion", policy.policyVersion());
    }

    private ApiResponse toggle(ApiRequest request, boolean enable) throws Exception {
        String id = request.path("id");
        Subscriber s = subscriber(id).orElseThrow(() -> ApiProblem.notFound("TB-API-090",
                "no loaded plugin '" + id + "'"));
        plugins.setEnabled(s.id(), enable);
        audit.record(enable ? "plugin.enable" : "plugin.disable", request.principal(), "", Map.of("plugin", s.id()));
        return ApiResponse.ok(Map.of("id", s.id(), "enabled", enabled(s.id())));
    }

    private Optional<Subscriber> subscriber(String id) {
        return plugins.subscribers().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    private boolean enabled(String pluginId) {
        return plugins.enabled(pluginId);
    }
}
