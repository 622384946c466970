package org.twinbridge.sdk.connector;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One connector's settings from the node configuration: strings, lists of strings and nested maps, as read
 * from YAML. Immutable and thread-safe. Typed accessors throw {@link ConnectorConfigException} naming the key.
 */
public final class ConnectorSettings {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private final Map<String, Object> values;

    public ConnectorSettings(Map<String, ?> values) {
        this.values = Map.copyOf(new LinkedHashMap<>(values));
    }

    /** The raw values. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** An optional string setting. */
    public Optional<String> string(String key) throws ConnectorConfigException {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            return Optional.of(s);
        }
        throw new ConnectorConfigException(key, "'" + key + "' must be a string");
    }

    /** A required string setting. */
    public String requireString(String key) throws ConnectorConfigException {
        return string(key).orElseThrow(() -> new ConnectorConfigException(key, "'" + key + "' is required"));
    }

    /** A list-of-strings setting, or the default if absent. */
    public List<String> strings(String key, List<String> defaultValue) throws ConnectorConfigException {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new ConnectorConfigException(key, "'" + key + "' must be a list of strings");
    }

    /** A nested map setting such as {@code auth}, or empty settings if absent. */
    public ConnectorSettings section(String key) throws ConnectorConfigException {
        Object value = values.get(key);
        if (value == null) {
            return new ConnectorSettings(Map.of());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            return new ConnectorSettings(copy);
        }
        throw new ConnectorConfigException(key, "'" + key + "' must be a mapping");
    }

    /**
     * A duration such as {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}, or the default if absent.
     */
    public Duration duration(String key, Duration defaultValue) throws ConnectorConfigException {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(text.get().trim());
        if (!m.matches()) {
            throw new ConnectorConfigException(key,
                    "'" + key + "' must be a duration like 500ms, 30s, 5m or 1h, not '" + text.get() + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    @Override
    public String toString() {
        return "ConnectorSettings" + values.keySet();
    }
}
