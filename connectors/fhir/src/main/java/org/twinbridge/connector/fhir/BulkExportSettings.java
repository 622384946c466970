package org.twinbridge.connector.fhir;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * The optional first load by FHIR Bulk Data {@code $export}, from the {@code bulk-export} section.
 *
 * @param level          {@code system}, {@code patient} or {@code group}: which kick-off endpoint
 * @param groupId        the Group's id, for level {@code group}
 * @param statusInterval the wait between status checks when the server sends no {@code Retry-After}
 */
record BulkExportSettings(String level, Optional<String> groupId, Duration statusInterval) {

    private static final Set<String> KEYS = Set.of("enabled", "level", "group-id", "status-interval");
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    /** The kick-off path below the base URL. */
    String kickOffPath() {
        return switch (level) {
            case "patient" -> "/Patient/$export";
            case "group" -> "/Group/" + groupId.orElseThrow() + "/$export";
            default -> "/$export";
        };
    }

    /** The section's settings, or empty when it is absent or {@code enabled} is false. */
    static Optional<BulkExportSettings> from(ConnectorSettings settings) throws ConnectorConfigException {
        ConnectorSettings bulk = settings.section("bulk-export");
        for (String key : bulk.asMap().keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConnectorConfigException("bulk-export", "'bulk-export." + key + "' is not a setting; "
                        + "expected one of " + String.join(", ", new TreeSet<>(KEYS)));
            }
        }
        String enabled = bulk.string("enabled").orElse("false");
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new ConnectorConfigException("bulk-export", "'bulk-export.enabled' must be true or false, not '"
                    + enabled + "'");
        }
        if (enabled.equals("false")) {
            return Optional.empty();
        }
        String level = bulk.string("level").orElse("system");
        if (!Set.of("system", "patient", "group").contains(level)) {
            throw new ConnectorConfigException("bulk-export", "'bulk-export.level' must be system, patient or group, "
                    + "not '" + level + "'");
        }
        Optional<String> groupId = bulk.string("group-id");
        if (level.equals("group") != groupId.isPresent()) {
            throw new ConnectorConfigException("bulk-export", "'bulk-export.group-id' is needed with level group, "
                    + "and only then");
        }
        if (groupId.isPresent() && !FHIR_ID.matcher(groupId.get()).matches()) {
            throw new ConnectorConfigException("bulk-export", "'bulk-export.group-id' must be a FHIR id (letters, "
                    + "digits, '-' and '.', at most 64)");
        }
        Duration interval;
        try {
            interval = bulk.duration("status-interval", Duration.ofSeconds(10));
        } catch (ConnectorConfigException e) {
            throw new ConnectorConfigException("bulk-export", "'bulk-export." + e.getMessage().substring(1));
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConnectorConfigException("bulk-export", "'bulk-export.status-interval' must be at least 1s");
        }
        return Optional.of(new BulkExportSettings(level, groupId, interval));
    }
}
