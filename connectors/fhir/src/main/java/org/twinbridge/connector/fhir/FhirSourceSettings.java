package org.twinbridge.connector.fhir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * The validated settings of one FHIR connector.
 *
 * @param baseUrl   the server's base URL, http or https
 * @param poll      time between polls
 * @param resources resource types to pull, in order
 * @param pageSize  {@code _count} per search page
 * @param auth       how to authenticate
 * @param resilience timeouts, retries and the circuit breaker
 * @param bulkExport the first load by {@code $export}, if enabled
 */
record FhirSourceSettings(String baseUrl, Duration poll, List<String> resources, int pageSize, FhirAuth auth,
        ResilienceSettings resilience, Optional<BulkExportSettings> bulkExport) {

    FhirSourceSettings {
        resources = List.copyOf(resources);
    }

    static FhirSourceSettings from(ConnectorSettings settings) throws ConnectorConfigException {
        return from(settings, Path.of("").toAbsolutePath());
    }

    /** Reads the settings; relative file names (secrets, keystores) are resolved against {@code baseDir}. */
    static FhirSourceSettings from(ConnectorSettings settings, Path baseDir) throws ConnectorConfigException {
        String baseUrl = settings.requireString("base-url");
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new ConnectorConfigException("base-url", "'base-url' is not a valid URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new ConnectorConfigException("base-url", "'base-url' must be an http or https URL");
        }
        Duration poll = settings.duration("poll", Duration.ofSeconds(30));
        if (poll.toMillis() < 100) {
            throw new ConnectorConfigException("poll", "'poll' must be at least 100ms");
        }
        List<String> resources = settings.strings("resources", FhirSourceConnector.DEFAULT_RESOURCES);
        if (resources.isEmpty()) {
            throw new ConnectorConfigException("resources", "'resources' must name at least one resource type");
        }
        for (String type : resources) {
            if (!ca.uhn.fhir.context.FhirContext.forR4Cached().getResourceTypes().contains(type)) {
                throw new ConnectorConfigException("resources", "'resources' names '" + type
                        + "', which is not a FHIR R4 resource type (they are spelt like Patient, Observation)");
            }
        }
        String pageSizeText = settings.string("page-size").orElse("100").trim();
        int pageSize;
        try {
            pageSize = Integer.parseInt(pageSizeText);
        } catch (NumberFormatException e) {
            pageSize = 0;
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new ConnectorConfigException("page-size",
                    "'page-size' must be a whole number between 1 and 1000, not '" + pageSizeText + "'");
        }
        if (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        return new FhirSourceSettings(baseUrl, poll, resources, pageSize,
                FhirAuth.from(settings.section("auth"), baseUrl, resources, baseDir), ResilienceSettings.from(settings),
                BulkExportSettings.from(settings));
    }
}
