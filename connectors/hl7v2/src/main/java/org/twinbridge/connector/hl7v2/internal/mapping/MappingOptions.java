package org.twinbridge.connector.hl7v2.internal.mapping;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The connector settings that shape the mapping.
 *
 * @param connectorId           the connector's id
 * @param assigningAuthorities  identifier system URI per assigning authority (HD namespace id or universal id),
 *                              so that an MRN from this feed and the same MRN from another source link
 * @param defaultIdentifierSystem the system for identifiers with no assigning authority, or empty to scope them
 *                              to this connector and the sending facility
 * @param zone                  the zone of date/times that carry no UTC offset
 */
public record MappingOptions(String connectorId, Map<String, String> assigningAuthorities,
        Optional<String> defaultIdentifierSystem, ZoneId zone) {

    private static final int MAX_OID_LENGTH = 128;

    public MappingOptions {
        assigningAuthorities = Map.copyOf(assigningAuthorities);
    }

    /**
     * The FHIR identifier system for an HD assigning authority (namespace, universal id, universal id type).
     * Configured names win; then ISO OIDs ({@code urn:oid:}), URIs and UUIDs from the HD itself; then a
     * TwinBridge URN naming the namespace; then, with no authority at all, the default system.
     */
    String identifierSystem(String namespace, String universalId, String universalIdType, String sendingFacility) {
        for (String key : new String[] {namespace, universalId}) {
            if (!key.isEmpty() && assigningAuthorities.containsKey(key)) {
                return assigningAuthorities.get(key);
            }
        }
        if (!universalId.isEmpty()) {
            switch (universalIdType.toUpperCase(Locale.ROOT)) {
                case "ISO":
                    // Length first: the regex recurses once per arc, and a hostile identifier of thousands of
                    // arcs overflowed the stack (found by Hl7IntakeFuzzTest). Real OIDs are far shorter.
                    if (universalId.length() <= MAX_OID_LENGTH && universalId.matches("[0-2](\\.\\d+)+")) {
                        return "urn:oid:" + universalId;
                    }
                    break;
                case "URI":
                case "URL":
                    return universalId;
                case "UUID":
                    return "urn:uuid:" + universalId.toLowerCase(Locale.ROOT);
                default:
                    break;
            }
        }
        if (!namespace.isEmpty()) {
            return "urn:twinbridge:hl7v2:assigning-authority:" + encode(namespace);
        }
        if (!universalId.isEmpty()) {
            return "urn:twinbridge:hl7v2:assigning-authority:" + encode(universalId);
        }
        return defaultIdentifierSystem.orElseGet(() -> "urn:twinbridge:hl7v2:" + connectorId + ":"
                + encode(sendingFacility.isEmpty() ? "unknown-facility" : sendingFacility));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
