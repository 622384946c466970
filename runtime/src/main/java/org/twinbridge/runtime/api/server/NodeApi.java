package org.twinbridge.runtime.api.server;

import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.NodeAudit;
import org.twinbridge.runtime.api.PatientLookup;
import org.twinbridge.runtime.api.Route;
import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.api.audit.AuditRoutes;
import org.twinbridge.runtime.api.consent.ConsentRoutes;
import org.twinbridge.runtime.api.node.ConnectorRoutes;
import org.twinbridge.runtime.api.node.DeadLetterRoutes;
import org.twinbridge.runtime.api.node.HealthRoutes;
import org.twinbridge.runtime.api.node.HistoryRoutes;
import org.twinbridge.runtime.api.node.MeRoute;
import org.twinbridge.runtime.api.node.PluginRoutes;
import org.twinbridge.runtime.api.node.TwinRoutes;
import org.twinbridge.runtime.api.policy.PolicyRoutes;
import org.twinbridge.runtime.api.policy.PolicyVersions;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.console.ConsoleSite;
import org.twinbridge.runtime.node.Node;

/** Serves a running node's admin API: the route table of docs/api.md, health, metrics and the OpenAPI document. */
public final class NodeApi {

    /** Where the OpenAPI document is served, and where it lives on the class path. */
    public static final String OPENAPI_PATH = "/api/v1/openapi.yaml";
    public static final String OPENAPI_RESOURCE = "/openapi/twinbridge-api.yaml";
    private static final Logger LOG = LoggerFactory.getLogger(NodeApi.class);

    private NodeApi() {
    }

    /** Every authenticated route of a node, in documentation order. */
    public static List<Route> routes(Node node, Clock clock) {
        FhirContext fhir = FhirContext.forR4Cached();
        NodeAudit audit = new NodeAudit(node.auditLog());
        PatientLookup patients = new PatientLookup(node.patientResolver());
        PolicyVersions versions = new PolicyVersions(node.config().node().dataDir().resolve("policy-versions"), fhir);
        List<Route> routes = new ArrayList<>();
        routes.addAll(new PolicyRoutes(versions, node.policy(), node.config().policies().dir(), audit, fhir, clock)
                .routes());
        Set<String> connectorIds = node.config().connectors().stream().map(NodeConfig.Connector::id)
                .collect(Collectors.toSet());
        routes.addAll(new ConsentRoutes(node.consentAdmin(), node::erasure, node::subscribers, connectorIds, patients,
                fhir).routes());
        routes.addAll(new AuditRoutes(node.auditLog(), node.config().node().id(), patients).routes());
        routes.addAll(new PluginRoutes(node.plugins(), node.policy(), audit).routes());
        routes.addAll(new ConnectorRoutes(node.connectors()).routes());
        routes.addAll(new HistoryRoutes(node.observability().history()).routes());
        routes.addAll(new DeadLetterRoutes(node::deadLetters).routes());
        routes.addAll(new TwinRoutes(node.twinOutputs(), node::subscribers, patients, audit, fhir).routes());
        routes.add(MeRoute.of(routes));
        return routes;
    }

    /** Starts the API the node's {@code api:} section describes. */
    public static ApiServer start(Node node, NodeConfig.Api config, Clock clock) throws IOException {
        Map<String, Route.Handler> open = new LinkedHashMap<>(new HealthRoutes(node.observability()).publicPaths());
        String openapi = openApiDocument();
        open.put(OPENAPI_PATH, r -> ApiResponse.text(200, "application/yaml", openapi));
        NodeAudit audit = new NodeAudit(node.auditLog());
        ApiServer server = ApiServer.start(config, routes(node, clock), open, (principal, route, parameters, status) -> {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("method", route.method());
            details.put("route", route.template());
            details.put("status", Integer.toString(status));
            // Path parameters are versions, consent ids and plugin or connector ids; patients travel in the query,
            // which is never recorded here.
            parameters.forEach((name, value) -> details.put("param_" + name, value));
            try {
                audit.record("api.call", principal, "", details);
            } catch (java.sql.SQLException e) {
                LOG.error("TB-AUDIT-008 cannot record an API call in the audit trail (SQLState {})", e.getSQLState());
            }
        }, clock);
        server.mount(ConsoleSite.PREFIX, new ConsoleSite(config.oidc().issuer()));
        return server;
    }

    /** The OpenAPI document shipped in the jar. */
    public static String openApiDocument() throws IOException {
        try (InputStream in = NodeApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IOException("the jar lacks " + OPENAPI_RESOURCE);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
