package org.twinbridge.connector.fhir;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.SourceConnector;

/**
 * Polls a FHIR R4 server with the HAPI FHIR client: one Camel timer route per connector that searches each
 * configured resource type incrementally by {@code _lastUpdated}, follows paging links, journals every page
 * and only then advances the durable watermark.
 */
public final class FhirSourceConnector implements SourceConnector {

    static final List<String> DEFAULT_RESOURCES =
            List.of("Patient", "Observation", "Condition", "MedicationRequest", "Encounter");

    @Override
    public String type() {
        return "fhir";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("base-url", "poll", "resources", "page-size", "auth");
    }

    @Override
    public RoutesBuilder routes(ConnectorContext context) throws ConnectorConfigException {
        FhirSourceSettings settings = FhirSourceSettings.from(context.settings());
        FhirPoller poller = new FhirPoller(context, settings);
        Duration period = settings.poll();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:twinbridge-fhir-" + context.connectorId() + "?delay=0&fixedRate=false&period="
                        + period.toMillis())
                        .routeId("connector-" + context.connectorId())
                        .process(poller);
            }
        };
    }
}
