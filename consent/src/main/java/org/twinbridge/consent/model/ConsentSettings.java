package org.twinbridge.consent.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a node ties consents to its own world (configuration {@code consent:}).
 *
 * @param defaults   what applies when no consent speaks to an access
 * @param actors     plugin id to the references Consent actors name it by, e.g. {@code news2-twin ->
 *                   [Device/news2-twin, Organization/acme]}; a plugin without an entry is {@code Device/<id>}
 * @param custodians connector id to the organisation that holds that source's data, e.g. {@code ehr ->
 *                   Organization/f001}; matched against actors with the custodian role (CST)
 */
public record ConsentSettings(ConsentDefaults defaults, Map<String, List<String>> actors,
        Map<String, String> custodians) {

    public ConsentSettings {
        Objects.requireNonNull(defaults, "defaults");
        actors = Map.copyOf(new TreeMap<>(actors).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
        custodians = Map.copyOf(custodians);
    }

    /** Deny by default, every plugin known as {@code Device/<id>}, no custodians. */
    public static ConsentSettings standard() {
        return new ConsentSettings(ConsentDefaults.denyAll(), Map.of(), Map.of());
    }

    /** The references a plugin is known by in Consent actors. */
    public Set<String> actorsOf(String pluginId) {
        List<String> configured = actors.get(pluginId);
        return configured == null ? Set.of("Device/" + pluginId) : Set.copyOf(configured);
    }

    /** The custodian organisation of a connector's data, if configured. */
    public Optional<String> custodianOf(String connectorId) {
        return Optional.ofNullable(custodians.get(connectorId));
    }
}
