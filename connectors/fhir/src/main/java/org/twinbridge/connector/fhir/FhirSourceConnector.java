package org.twinbridge.connector.fhir;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.SourceConnector;

/**
 * Polls a FHIR R4 server: one Camel timer route per connector that searches each configured resource type
 * incrementally by {@code _lastUpdated}, follows paging links, journals every page and only then advances the
 * durable watermark; optionally a first load by Bulk Data {@code $export}. Searches and the export go through HAPI
 * FHIR's generic client ({@link FhirClient}), whose requests travel over {@link FhirHttp} (timeouts, retries,
 * circuit breaker); resources are parsed with HAPI FHIR's R4 model.
 */
public final class FhirSourceConnector implements SourceConnector {

    static final List<String> DEFAULT_RESOURCES =
            List.of("Patient", "Observation", "Condition", "MedicationRequest", "Encounter");
    private final Timing timing;

    /** The connector as the node finds it, on the system clock. */
    public FhirSourceConnector() {
        this(Timing.system());
    }

    /** For tests: a connector whose waits and clock are under the test's control. */
    FhirSourceConnector(Timing timing) {
        this.timing = timing;
    }

    @Override
    public String type() {
        return "fhir";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("base-url", "poll", "resources", "page-size", "auth", "timeouts", "retry", "circuit-breaker",
                "bulk-export");
    }

    @Override
    public RoutesBuilder routes(ConnectorContext context) throws ConnectorConfigException {
        FhirSourceSettings settings = FhirSourceSettings.from(context.settings(), context.configDirectory());
        String id = context.connectorId();
        FhirAuth.TokenHttp tokenHttp = () -> new FhirHttp(id, settings.resilience(), Credentials.NONE, timing);
        Credentials credentials = settings.auth().credentials(settings.baseUrl(), tokenHttp, timing);
        FhirHttp http = new FhirHttp(id, settings.resilience(), credentials, timing);
        FhirClient client = new FhirClient(settings.baseUrl(), http, tokenHttp.create(),
                settings.auth().interceptor(credentials));
        Optional<BulkExport> bulkExport = settings.bulkExport().map(bulk -> new BulkExport(id, settings, bulk,
                context.checkpoints(), client, timing));
        FhirPoller poller = new FhirPoller(context, settings, client, bulkExport);
        Duration period = settings.poll();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:twinbridge-fhir-" + id + "?delay=0&fixedRate=false&period=" + period.toMillis())
                        .routeId("connector-" + id)
                        .process(poller);
            }
        };
    }
}
