package org.twinbridge.connector.mqtt;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * The validated settings of one MQTT connector. {@link #toString()} never prints the password.
 *
 * @param broker         {@code tcp://host:port} or {@code ssl://host:port}
 * @param topics         topic filters, subscribed at QoS 1; the first {@code +} level names the device
 * @param format         which payloads to accept
 * @param clientId       the MQTT client id; stable, so the broker keeps the session across restarts
 * @param deviceSystem   the identifier system of device ids taken from topics
 * @param bindings       configured device bindings, device id to patient
 * @param maxPayload     the largest payload mapped, in bytes; larger ones are dead letters
 * @param maxBatch       the most messages committed in one journal transaction and then acknowledged together
 * @param username       the broker user, if any
 * @param password       the broker password, if any
 * @param protocol       MQTT 3.1.1 (the default) or MQTT 5
 * @param sessionExpiry  MQTT 5 only: how long the broker keeps the session (subscriptions and unacknowledged
 *                       messages) after the connection ends; MQTT 3.1.1 sessions are kept until the broker drops them
 * @param tls            the TLS of an {@code ssl://} broker; empty for {@code tcp://}
 */
record MqttSettings(String broker, List<String> topics, Format format, String clientId, String deviceSystem,
        Map<String, PatientRef> bindings, int maxPayload, int maxBatch, Optional<String> username,
        Optional<char[]> password, Protocol protocol, Duration sessionExpiry, Optional<MqttTls> tls) {

    static final Set<String> KEYS = Set.of("broker", "topics", "format", "client-id", "device-id-system", "devices",
            "patient-source", "max-payload", "max-batch", "username", "password-env", "password-file", "protocol",
            "session-expiry", "tls");
    /**
     * A week: a node may be down over a long weekend without losing readings; a node removed for good leaves a
     * session that the broker drops a week later.
     */
    static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(7);
    /** The largest MQTT 5 session expiry interval, 0xFFFFFFFF seconds, which means "never expires". */
    static final long NEVER_EXPIRES = 0xFFFF_FFFFL;
    private static final Pattern EXPIRY = Pattern.compile("(\\d{1,10})(s|m|h|d)");
    static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;
    /**
     * Up to this many received messages share one commit. The broker's limit on unacknowledged messages per client
     * (Mosquitto's {@code max_inflight_messages}, 20 by default) is usually the smaller bound.
     */
    static final int DEFAULT_MAX_BATCH = 1000;
    private static final int MAX_MAX_BATCH = 10_000;
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern DEVICE_ID = Pattern.compile("[^/+#\\s]{1,128}");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KB|MB)", Pattern.CASE_INSENSITIVE);

    /** Which MQTT version the connector speaks. */
    enum Protocol {
        /** MQTT 3.1.1, through Paho's v3 client: what every broker speaks, and the embedded Moquette. */
        MQTT3,
        /** MQTT 5, through Paho's v5 client, with a session expiry interval. */
        MQTT5
    }

    /** Which payloads the connector accepts. */
    enum Format {
        /** Decide per message: FHIR JSON if it has a {@code resourceType}, else Open mHealth. */
        AUTO,
        /** Open mHealth data points or bare data point bodies. */
        OPENMHEALTH,
        /** FHIR R4 resources or Bundles, such as the Personal Health Device IG's. */
        FHIR
    }

    /**
     * The patient a configured device is bound to, as an identifier: {@code system|value}. A literal
     * {@code Patient/123} from connector {@code ehr} is the identifier {@code urn:twinbridge:source:ehr|Patient/123}.
     */
    record PatientRef(String system, String value) {
        /** The system that names a connector's own patient ids. */
        static final String SOURCE_SYSTEM_PREFIX = "urn:twinbridge:source:";
    }

    MqttSettings {
        topics = List.copyOf(topics);
        bindings = Map.copyOf(bindings);
    }

    static MqttSettings from(ConnectorContext context) throws ConnectorConfigException {
        ConnectorSettings settings = context.settings();
        String broker = settings.requireString("broker").trim();
        URI uri;
        try {
            uri = URI.create(broker);
        } catch (IllegalArgumentException e) {
            throw new ConnectorConfigException("broker", "'broker' is not a valid URL; expected tcp://host:port");
        }
        if (!("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ConnectorConfigException("broker",
                    "'broker' must be tcp://host:port or ssl://host:port, not '" + broker + "'");
        }
        List<String> topics = settings.strings("topics", List.of("devices/+/vitals"));
        if (topics.isEmpty()) {
            throw new ConnectorConfigException("topics", "'topics' must name at least one topic filter");
        }
        for (String topic : topics) {
            validateFilter(topic);
        }
        String formatText = settings.string("format").orElse("auto").trim();
        Format format = switch (formatText) {
            case "auto" -> Format.AUTO;
            case "openmhealth" -> Format.OPENMHEALTH;
            case "fhir" -> Format.FHIR;
            default -> throw new ConnectorConfigException("format",
                    "'format' must be one of openmhealth, fhir or auto, not '" + formatText + "'");
        };
        String clientId = settings.string("client-id").orElseGet(() -> defaultClientId(context));
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new ConnectorConfigException("client-id", "'client-id' must be 1 to 128 letters, digits, dots, "
                    + "dashes or underscores, not '" + clientId + "'");
        }
        String deviceSystem = settings.string("device-id-system")
                .orElse("urn:twinbridge:device:" + context.connectorId());
        if (deviceSystem.isBlank() || deviceSystem.contains("|")) {
            throw new ConnectorConfigException("device-id-system",
                    "'device-id-system' must be a URI without '|', e.g. urn:oid:1.2.3 or https://ward.example/devices");
        }
        Map<String, PatientRef> bindings = bindings(settings, settings.string("patient-source"));
        int maxPayload = size(settings.string("max-payload").orElse(Integer.toString(DEFAULT_MAX_PAYLOAD)));
        int maxBatch = maxBatch(settings.string("max-batch").orElse(Integer.toString(DEFAULT_MAX_BATCH)));
        Optional<String> username = settings.string("username");
        Optional<char[]> password = secret(settings, "", "password-env", "password-file", context.configDirectory());
        if (password.isPresent() && username.isEmpty()) {
            throw new ConnectorConfigException("username", "'username' is required when a broker password is given");
        }
        Protocol protocol = protocol(settings.string("protocol").orElse("mqtt3"));
        Duration sessionExpiry = sessionExpiry(settings.string("session-expiry"), protocol);
        Optional<MqttTls> tls = Optional.empty();
        boolean ssl = "ssl".equals(uri.getScheme());
        if (settings.asMap().containsKey("tls") && !ssl) {
            throw new ConnectorConfigException("tls", "'tls' applies to an ssl:// broker; change 'broker' to "
                    + "ssl://" + uri.getHost() + ":8883 (or the broker's TLS port), or remove 'tls'");
        }
        if (ssl) {
            tls = Optional.of(MqttTls.from(settings.section("tls"), context.configDirectory()));
        }
        return new MqttSettings(broker, topics, format, clientId, deviceSystem, bindings, maxPayload, maxBatch,
                username, password, protocol, sessionExpiry, tls);
    }

    private static Protocol protocol(String text) throws ConnectorConfigException {
        return switch (text.trim()) {
            case "mqtt3", "3.1.1" -> Protocol.MQTT3;
            case "mqtt5", "5" -> Protocol.MQTT5;
            default -> throw new ConnectorConfigException("protocol",
                    "'protocol' must be mqtt3 (MQTT 3.1.1) or mqtt5 (MQTT 5), not '" + text + "'");
        };
    }

    /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 3600s} or {@code never}; from one minute to 0xFFFFFFFE s. */
    private static Duration sessionExpiry(Optional<String> text, Protocol protocol) throws ConnectorConfigException {
        if (text.isEmpty()) {
            return DEFAULT_SESSION_EXPIRY;
        }
        if (protocol != Protocol.MQTT5) {
            throw new ConnectorConfigException("session-expiry", "'session-expiry' is an MQTT 5 setting; set "
                    + "'protocol: mqtt5', or remove it (an MQTT 3.1.1 session lasts until the broker drops it)");
        }
        String value = text.get().trim();
        if (value.equals("never")) {
            return Duration.ofSeconds(NEVER_EXPIRES);
        }
        var m = EXPIRY.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            if (d.toSeconds() >= 60 && d.toSeconds() < NEVER_EXPIRES) {
                return d;
            }
        }
        throw new ConnectorConfigException("session-expiry", "'session-expiry' must be a duration from 1m to "
                + "about 136 years, like 3600s, 12h or 7d, or 'never', not '" + value + "'; a shorter session "
                + "would lose the readings sent while the node restarts");
    }

    /** The level of the first {@code +} in a filter, which names the device; empty if the filter has none. */
    static Optional<Integer> deviceLevel(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("+")) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private static String defaultClientId(ConnectorContext context) {
        return "twinbridge-" + context.nodeId() + "-" + context.connectorId();
    }

    private static void validateFilter(String topic) throws ConnectorConfigException {
        String[] levels = topic.split("/", -1);
        boolean valid = !topic.isEmpty() && topic.length() <= 1024;
        for (int i = 0; i < levels.length && valid; i++) {
            String level = levels[i];
            valid = level.equals("+") || (level.equals("#") && i == levels.length - 1)
                    || (!level.contains("+") && !level.contains("#"));
        }
        if (!valid) {
            throw new ConnectorConfigException("topics", "topic filter '" + topic + "' is not valid: '+' must fill a "
                    + "whole level and '#' may only be the last level, e.g. devices/+/vitals");
        }
    }

    private static Map<String, PatientRef> bindings(ConnectorSettings settings, Optional<String> patientSource)
            throws ConnectorConfigException {
        Map<String, PatientRef> bindings = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : settings.section("devices").asMap().entrySet()) {
            String device = entry.getKey();
            if (!DEVICE_ID.matcher(device).matches()) {
                throw new ConnectorConfigException("devices", "device id '" + device + "' in 'devices' must be one "
                        + "topic level: no '/', '+', '#' or spaces");
            }
            if (!(entry.getValue() instanceof String target) || target.isBlank()) {
                throw new ConnectorConfigException("devices", "'devices." + device + "' must be a string: "
                        + "Patient/<id> (with patient-source) or <identifier system>|<value>");
            }
            bindings.put(device, patientRef(device, target.trim(), patientSource));
        }
        if (patientSource.isPresent() && bindings.isEmpty()) {
            throw new ConnectorConfigException("patient-source", "'patient-source' is only meaningful with 'devices'");
        }
        return bindings;
    }

    private static PatientRef patientRef(String device, String target, Optional<String> patientSource)
            throws ConnectorConfigException {
        if (target.startsWith("Patient/")) {
            String id = target.substring("Patient/".length());
            if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) {
                throw new ConnectorConfigException("devices", "'devices." + device + "': '" + target
                        + "' is not a valid Patient reference");
            }
            if (patientSource.isEmpty()) {
                throw new ConnectorConfigException("patient-source", "'devices." + device + "' binds to a literal "
                        + "Patient reference; set 'patient-source' to the id of the connector whose Patient ids these "
                        + "are (e.g. patient-source: ehr), or bind by identifier: <system>|<value>");
            }
            return new PatientRef(PatientRef.SOURCE_SYSTEM_PREFIX + patientSource.get(), target);
        }
        int bar = target.indexOf('|');
        if (bar <= 0 || bar == target.length() - 1) {
            throw new ConnectorConfigException("devices", "'devices." + device + "' must be Patient/<id> or "
                    + "<identifier system>|<value>");
        }
        return new PatientRef(target.substring(0, bar), target.substring(bar + 1));
    }

    private static int size(String text) throws ConnectorConfigException {
        var m = SIZE.matcher(text.trim());
        long bytes = -1;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2).toUpperCase(java.util.Locale.ROOT);
            bytes = unit.equals("KB") ? n * 1024 : unit.equals("MB") ? n * 1024 * 1024 : n;
        }
        if (bytes < 1 || bytes > 64L * 1024 * 1024) {
            throw new ConnectorConfigException("max-payload", "'max-payload' must be a size from 1 byte to 64MB, "
                    + "like 262144, 256KB or 1MB, not '" + text + "'");
        }
        return (int) bytes;
    }

    private static int maxBatch(String text) throws ConnectorConfigException {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= MAX_MAX_BATCH) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConnectorConfigException("max-batch", "'max-batch' must be a whole number of messages from 1 to "
                + MAX_MAX_BATCH + ", not '" + text + "'");
    }

    /**
     * A secret named by an environment variable ({@code envKey}) or a file ({@code fileKey}), never inline.
     * {@code prefix} is the section path used in messages, e.g. {@code tls.}; messages never hold the secret.
     */
    static Optional<char[]> secret(ConnectorSettings settings, String prefix, String envKey, String fileKey,
            Path baseDir) throws ConnectorConfigException {
        String errorKey = prefix.isEmpty() ? envKey : prefix.substring(0, prefix.length() - 1);
        Optional<String> env = settings.string(envKey);
        Optional<String> file = settings.string(fileKey);
        if (env.isPresent() && file.isPresent()) {
            throw new ConnectorConfigException(errorKey, "give either '" + prefix + envKey + "' or '" + prefix
                    + fileKey + "', not both");
        }
        if (env.isPresent()) {
            String value = System.getenv(env.get());
            if (value == null || value.isEmpty()) {
                throw new ConnectorConfigException(errorKey, "'" + prefix + envKey + "' names environment variable "
                        + env.get() + ", which is not set or empty");
            }
            return Optional.of(value.toCharArray());
        }
        if (file.isPresent()) {
            try {
                return Optional.of(Files.readString(baseDir.resolve(file.get()), StandardCharsets.UTF_8).strip()
                        .toCharArray());
            } catch (IOException | RuntimeException e) {
                throw new ConnectorConfigException(prefix.isEmpty() ? fileKey : errorKey, "'" + prefix + fileKey
                        + "' names " + file.get() + ", which cannot be read");
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "MqttSettings[broker=" + broker + ", topics=" + topics + ", format=" + format + ", clientId="
                + clientId + ", bindings=" + bindings.size() + ", maxBatch=" + maxBatch + ", password="
                + (password.isPresent() ? "***" : "none") + ", protocol=" + protocol + ", tls="
                + tls.map(MqttTls::toString).orElse("none") + "]";
    }
}
