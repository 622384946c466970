package org.twinbridge.runtime.config;

import org.twinbridge.policy.yaml.LocatedError;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.twinbridge.consent.model.ConsentDefaults;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.consent.model.Effect;
import org.twinbridge.runtime.retry.RetryPolicy;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.policy.model.PurposeOfUse;
import org.twinbridge.policy.yaml.YamlDocument;
import org.twinbridge.policy.yaml.YamlSection;

/**
 * Reads and validates a node configuration file. Every error carries {@code file:line:column}; unknown keys
 * are errors that list the keys allowed at that place.
 */
public final class ConfigLoader {

    private static final String SQLITE = "jdbc:sqlite:";

    private static final Set<String> TOP_LEVEL =
            Set.of("node", "storage", "keys", "connectors", "plugins", "policies", "consent", "audit", "sinks", "api",
                    "federation", "journal");
    /** Sections of the full design that later versions read; named so the error can say so. */
    private static final Set<String> NOT_YET_SUPPORTED = Set.of();
    /** A literal FHIR reference as Consent actors use it: {@code Device/news2-twin}. */
    private static final Pattern REFERENCE = Pattern.compile("[A-Z][A-Za-z]{1,63}/[A-Za-z0-9.-]{1,64}");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final int MAX_CONFIG_BYTES = 1 << 20;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final Map<String, Set<String>> connectorKeys;
    private final java.util.function.Function<NodeConfig.Plugins, List<DeclaredConnectorType>> pluginTypes;

    /** @param connectorKeys for each built-in connector type, the settings keys it accepts besides id and type */
    public ConfigLoader(Map<String, Set<String>> connectorKeys) {
        this(connectorKeys, plugins -> List.of());
    }

    /**
     * @param connectorKeys for each built-in connector type, the settings keys it accepts besides id and type
     * @param pluginTypes   the connector types the plugin directory's jars declare; asked only when a connector
     *                      names a type that is not built in. A plugin type's settings are checked against the loaded
     *                      connector's keys when the node starts.
     */
    public ConfigLoader(Map<String, Set<String>> connectorKeys,
            java.util.function.Function<NodeConfig.Plugins, List<DeclaredConnectorType>> pluginTypes) {
        this.connectorKeys = Map.copyOf(connectorKeys);
        this.pluginTypes = Objects.requireNonNull(pluginTypes, "pluginTypes");
    }

    public NodeConfig load(Path file) throws ConfigException {
        String text;
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw new ConfigException(new LocatedError(file.toString(), 0, 0, "TB-CONFIG-007",
                        "configuration file is larger than 1 MiB"));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new LocatedError(file.toString(), 0, 0, "TB-CONFIG-008",
                    "configuration file not found; pass --config FILE or create twinbridge.yaml"));
        } catch (IOException e) {
            throw new ConfigException(new LocatedError(file.toString(), 0, 0, "TB-CONFIG-008",
                    "cannot read configuration file (" + e.getClass().getSimpleName() + ")"));
        }
        Path baseDir = file.toAbsolutePath().getParent();
        return parse(file.toString(), baseDir, new StringReader(text));
    }

    public NodeConfig parse(String sourceName, Path baseDir, Reader reader) throws ConfigException {
        List<LocatedError> errors = new ArrayList<>();
        Optional<YamlSection> document = YamlDocument.read(sourceName, reader, errors);
        if (document.isEmpty()) {
            throw new ConfigException(errors);
        }
        YamlSection top = document.get();
        for (String key : NOT_YET_SUPPORTED) {
            if (top.has(key)) {
                top.errorAt(key, "TB-CONFIG-005", "section '" + key + "' is not supported by this version yet");
            }
        }
        top.allowOnly(union(TOP_LEVEL, NOT_YET_SUPPORTED));

        NodeConfig.Node node = node(top.requireSection("node", "node: { id: st-marys, data-dir: ./data }"), baseDir);
        Path dataDir = node.dataDir();
        NodeConfig.Storage storage = storage(top.section("storage"), dataDir, baseDir);
        NodeConfig.Keys keys = keys(top.section("keys"), baseDir, dataDir);
        NodeConfig.Plugins plugins = plugins(top.section("plugins"), baseDir);
        NodeConfig config = new NodeConfig(sourceName, node, storage, keys,
                connectors(top.sections("connectors"), plugins),
                plugins,
                policies(top.section("policies"), baseDir),
                consent(top.section("consent")),
                audit(top.section("audit")),
                sinks(top.sections("sinks"), baseDir),
                top.section("api").map(a -> ApiSection.read(a, baseDir)),
                top.section("federation").map(f -> FederationSection.read(f, baseDir, node)),
                top.section("journal").flatMap(j -> JournalSection.read(j, storage)));
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config;
    }

    private static NodeConfig.Node node(YamlSection s, Path baseDir) {
        s.allowOnly(Set.of("id", "data-dir"));
        String id = s.requireString("id", "id: st-marys");
        if (!id.isEmpty() && !ID.matcher(id).matches()) {
            s.errorAt("id", "TB-CONFIG-004", "'node.id' must be lower-case letters, digits and dashes");
        }
        return new NodeConfig.Node(id, baseDir.resolve(s.string("data-dir").orElse("./data")).normalize());
    }

    private static NodeConfig.Storage storage(Optional<YamlSection> section, Path dataDir, Path baseDir) {
        String defaultUrl = SQLITE + dataDir.resolve("twinbridge.db").toAbsolutePath();
        if (section.isEmpty()) {
            return new NodeConfig.Storage(defaultUrl, Optional.empty(), Optional.empty());
        }
        YamlSection s = section.get();
        s.allowOnly(Set.of("url", "user", "password-env", "password-file"));
        String url = s.string("url").orElse(defaultUrl);
        if (url.startsWith("jdbc:h2:")) {
            s.errorAt("url", "TB-CONFIG-004", "H2 is no longer supported: killed at the wrong moment it lost records "
                    + "it had acknowledged (docs/reliability.md). Use the embedded default (remove storage.url, or "
                    + "jdbc:sqlite:<file>) or PostgreSQL; a 0.1 pilot's H2 data is not carried over");
        } else if (url.startsWith(SQLITE) && url.contains("?")) {
            s.errorAt("url", "TB-CONFIG-004", "'storage.url' for SQLite is jdbc:sqlite:<file> without options: the "
                    + "node sets the durability options itself");
        } else if (!url.startsWith(SQLITE) && !url.startsWith("jdbc:postgresql:")) {
            s.errorAt("url", "TB-CONFIG-004", "'storage.url' must be a jdbc:sqlite: or jdbc:postgresql: URL");
        }
        return new NodeConfig.Storage(sqliteRelativeToConfig(url, baseDir), s.string("user"), secret(s, baseDir));
    }

    /**
     * An SQLite URL with a relative path ({@code jdbc:sqlite:./data/twinbridge.db}) names a file relative to the
     * config file, like every other path here; the driver would resolve it against the working directory, so the
     * same config started from elsewhere would silently open (or create) another database.
     */
    static String sqliteRelativeToConfig(String url, Path baseDir) {
        if (!url.startsWith(SQLITE)) {
            return url;
        }
        String file = url.substring(SQLITE.length());
        if (!(file.startsWith("./") || file.startsWith("../"))) {
            return url;
        }
        return SQLITE + baseDir.resolve(file).normalize();
    }

    private static NodeConfig.Keys keys(Optional<YamlSection> section, Path baseDir, Path dataDir) {
        Path keystore = dataDir.resolve("keys.p12");
        SecretRef password = new SecretRef.FromEnv("TWINBRIDGE_KEYSTORE_PASSWORD", new LocatedError("keys", 0, 0,
                "TB-KEYS-002", "environment variable TWINBRIDGE_KEYSTORE_PASSWORD is not set (keystore password)"));
        if (section.isPresent()) {
            YamlSection s = section.get();
            s.allowOnly(Set.of("keystore", "password-env", "password-file"));
            keystore = s.string("keystore").map(baseDir::resolve).orElse(keystore).normalize();
            password = secret(s, baseDir).orElse(password);
        }
        return new NodeConfig.Keys(keystore, password);
    }

    static Optional<SecretRef> secret(YamlSection s, Path baseDir) {
        Optional<String> env = s.string("password-env");
        Optional<String> file = s.string("password-file");
        if (env.isPresent() && file.isPresent()) {
            s.errorAt("password-file", "TB-CONFIG-004",
                    "give either '" + s.qualified("password-env") + "' or '" + s.qualified("password-file")
                            + "', not both");
        }
        if (env.isPresent()) {
            return Optional.of(new SecretRef.FromEnv(env.get(), s.errorHere("TB-KEYS-002",
                    "environment variable " + env.get() + " (" + s.qualified("password-env") + ") is not set")));
        }
        return file.map(f -> new SecretRef.FromFile(baseDir.resolve(f), s.errorHere("TB-KEYS-002",
                "cannot read password file " + f + " (" + s.qualified("password-file") + ")")));
    }

    private List<NodeConfig.Connector> connectors(List<YamlSection> items, NodeConfig.Plugins plugins) {
        List<NodeConfig.Connector> connectors = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        List<DeclaredConnectorType> declared = new ArrayList<>();
        boolean[] scanned = {false};
        for (YamlSection item : items) {
            String id = item.requireString("id", "id: ehr");
            String type = item.requireString("type", "type: fhir");
            if (!id.isEmpty() && !ID.matcher(id).matches()) {
                item.errorAt("id", "TB-CONFIG-004", "connector id '" + id
                        + "' must be lower-case letters, digits and dashes");
            } else if (!id.isEmpty() && !seen.add(id)) {
                item.errorAt("id", "TB-CONFIG-006", "connector id '" + id + "' is used twice");
            }
            Set<String> keys = connectorKeys.get(type);
            if (keys == null && !type.isEmpty()) {
                if (!scanned[0]) {
                    declared.addAll(pluginTypes.apply(plugins));
                    scanned[0] = true;
                }
                List<DeclaredConnectorType> providers = declared.stream().filter(d -> d.type().equals(type)).toList();
                if (providers.stream().anyMatch(d -> d.refusal().isEmpty())) {
                    // Its keys are checked against the loaded connector at start (Node), where its code runs.
                    connectors.add(new NodeConfig.Connector(id, type,
                            new ConnectorSettings(item.plainEntries(Set.of("id", "type"))),
                            item.errorHere("TB-CONFIG-010", "connector '" + id + "'")));
                    continue;
                }
                if (!providers.isEmpty()) {
                    DeclaredConnectorType refused = providers.get(0);
                    item.errorAt("type", "TB-CONFIG-012", "connector type '" + type + "' is provided by connector "
                            + "plugin " + refused.pluginId() + " (" + refused.jar() + "), which is refused: "
                            + refused.refusal().get() + "; see `twinbridge plugin list` and docs/operators.md "
                            + "(Third-party connectors)");
                    continue;
                }
                java.util.TreeSet<String> fromPlugins = new java.util.TreeSet<>();
                declared.forEach(d -> fromPlugins.add(d.type()));
                item.errorAt("type", fromPlugins.isEmpty() ? "TB-CONFIG-004" : "TB-CONFIG-012", "unknown connector type '"
                        + type + "'; available: " + String.join(", ", new java.util.TreeSet<>(connectorKeys.keySet()))
                        + (fromPlugins.isEmpty() ? "" : "; from connector plugins: " + String.join(", ", fromPlugins))
                        + "; no connector plugin in " + plugins.dir() + " provides it");
                continue;
            }
            if (keys == null) {
                continue;
            }
            item.allowOnly(union(Set.of("id", "type"), keys));
            connectors.add(new NodeConfig.Connector(id, type,
                    new ConnectorSettings(item.plainEntries(Set.of("id", "type"))),
                    item.errorHere("TB-CONFIG-010", "connector '" + id + "'")));
        }
        return connectors;
    }

    /**
     * {@code require-signed} defaults to true once a trust store is configured. Without a trust store and
     * without the key, unsigned plugins load as in earlier versions (with a warning at start), so existing
     * configurations keep working; see docs/operators.md.
     */
    private static NodeConfig.Plugins plugins(Optional<YamlSection> section, Path baseDir) {
        Path dir = baseDir.resolve("plugins");
        Optional<Boolean> requireSigned = Optional.empty();
        Optional<Path> trustStore = Optional.empty();
        RetryPolicy retry = RetryPolicy.DEFAULT;
        NodeConfig.Isolation isolation = NodeConfig.Isolation.DEFAULT;
        if (section.isPresent()) {
            YamlSection s = section.get();
            s.allowOnly(Set.of("dir", "require-signed", "trust-store", "retry", "trusted", "allow-unsandboxed",
                    "process"));
            retry = s.section("retry").map(ConfigLoader::retry).orElse(retry);
            isolation = isolation(s);
            dir = s.string("dir").map(baseDir::resolve).orElse(dir);
            requireSigned = s.bool("require-signed");
            trustStore = s.string("trust-store").map(t -> baseDir.resolve(t).normalize());
            if (requireSigned.orElse(false) && trustStore.isEmpty()) {
                s.errorAt("require-signed", "TB-CONFIG-011", "'plugins.require-signed' is true but "
                        + "'plugins.trust-store' is not set: name the directory of trusted vendor certificates, "
                        + "e.g. trust-store: ./trust");
            }
        }
        boolean unset = requireSigned.isEmpty() && trustStore.isEmpty();
        return new NodeConfig.Plugins(dir.normalize(), requireSigned.orElse(trustStore.isPresent()), trustStore,
                unset, retry, isolation);
    }

    /**
     * {@code plugins.trusted: [id, ...]} (run in process, unisolated), {@code plugins.allow-unsandboxed} and
     * {@code plugins.process: { heap-mb, max-rss-mb, batch-timeout, start-timeout, max-output-mb }}.
     */
    private static NodeConfig.Isolation isolation(YamlSection s) {
        NodeConfig.Isolation d = NodeConfig.Isolation.DEFAULT;
        Set<String> trusted = new java.util.TreeSet<>(s.strings("trusted").orElse(List.of()));
        boolean allowUnsandboxed = s.bool("allow-unsandboxed").orElse(false);
        int heap = d.heapMb();
        int rss = d.maxRssMb();
        Duration batch = d.batchTimeout();
        Duration start = d.startTimeout();
        int output = d.maxOutputBytes();
        Optional<YamlSection> process = s.section("process");
        if (process.isPresent()) {
            YamlSection p = process.get();
            p.allowOnly(Set.of("heap-mb", "max-rss-mb", "batch-timeout", "start-timeout", "max-output-mb"));
            heap = wholeNumber(p, "heap-mb", 16, 65536).orElse(heap);
            rss = wholeNumber(p, "max-rss-mb", 32, 131072).orElse(Math.max(rss, heap + 128));
            if (rss <= heap) {
                p.errorAt("max-rss-mb", "TB-CONFIG-004", "'" + p.qualified("max-rss-mb") + "' (" + rss
                        + ") must be above 'heap-mb' (" + heap + "): the JVM needs memory beyond its heap");
                rss = heap + 128;
            }
            batch = duration(p, "batch-timeout").orElse(batch);
            start = duration(p, "start-timeout").orElse(start);
            output = wholeNumber(p, "max-output-mb", 1, 1024).map(mb -> mb << 20).orElse(output);
        }
        return new NodeConfig.Isolation(trusted, allowUnsandboxed, heap, rss, batch, start, output);
    }

    private static Optional<Integer> wholeNumber(YamlSection s, String key, int min, int max) {
        Optional<String> text = s.string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(text.get().trim());
            if (value >= min && value <= max) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        s.errorAt(key, "TB-CONFIG-004", "'" + s.qualified(key) + "' must be a whole number from " + min + " to "
                + max + ", not '" + text.get() + "'");
        return Optional.empty();
    }

    /**
     * {@code plugins.retry: { attempts: 5, initial-backoff: 1s, max-backoff: 1m }}; each key optional, defaults
     * from {@link RetryPolicy#DEFAULT}. An invalid value is reported and the default used, so that every other
     * mistake in the file is reported too.
     */
    private static RetryPolicy retry(YamlSection s) {
        s.allowOnly(Set.of("attempts", "initial-backoff", "max-backoff"));
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        int attempts = defaults.attempts();
        Optional<String> attemptsText = s.string("attempts");
        if (attemptsText.isPresent()) {
            try {
                attempts = Integer.parseInt(attemptsText.get().trim());
            } catch (NumberFormatException e) {
                attempts = -1;
            }
            if (attempts < 1 || attempts > RetryPolicy.MAX_ATTEMPTS) {
                s.errorAt("attempts", "TB-CONFIG-004", "'" + s.qualified("attempts") + "' must be a whole number "
                        + "from 1 to " + RetryPolicy.MAX_ATTEMPTS + ", not '" + attemptsText.get() + "'");
                attempts = defaults.attempts();
            }
        }
        Duration initial = duration(s, "initial-backoff").orElse(defaults.initialBackoff());
        Duration max = duration(s, "max-backoff").orElse(
                initial.compareTo(defaults.maxBackoff()) > 0 ? initial : defaults.maxBackoff());
        if (max.compareTo(RetryPolicy.MAX_BACKOFF_LIMIT) > 0) {
            String key = s.has("max-backoff") ? "max-backoff" : "initial-backoff";
            s.errorAt(key, "TB-CONFIG-004", "'" + s.qualified(key) + "' must be at most 1h");
            max = RetryPolicy.MAX_BACKOFF_LIMIT;
        }
        if (initial.compareTo(max) > 0) {
            s.errorAt(s.has("max-backoff") ? "max-backoff" : "initial-backoff", "TB-CONFIG-004", "'"
                    + s.qualified("initial-backoff") + "' must not be longer than '" + s.qualified("max-backoff")
                    + "'");
            initial = max;
        }
        return new RetryPolicy(attempts, initial, max);
    }

    /** A duration such as 500ms, 30s, 5m or 1h; reported and empty if malformed. */
    private static Optional<Duration> duration(YamlSection s, String key) {
        Optional<String> text = s.string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        java.util.regex.Matcher m = DURATION.matcher(text.get().trim());
        if (!m.matches()) {
            s.errorAt(key, "TB-CONFIG-004", "'" + s.qualified(key) + "' must be a duration such as 500ms, "
                    + "10s, 5m or 1h, not '" + text.get() + "'");
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        });
    }

    private static NodeConfig.Audit audit(Optional<YamlSection> section) {
        int interval = NodeConfig.Audit.DEFAULT_CHECKPOINT_INTERVAL;
        if (section.isPresent()) {
            YamlSection s = section.get();
            s.allowOnly(Set.of("checkpoint-interval"));
            Optional<String> value = s.string("checkpoint-interval");
            if (value.isPresent()) {
                try {
                    interval = Integer.parseInt(value.get());
                } catch (NumberFormatException e) {
                    interval = -1;
                }
                if (interval < 1 || interval > 1_000_000) {
                    s.errorAt("checkpoint-interval", "TB-CONFIG-004", "'audit.checkpoint-interval' must be a whole "
                            + "number of entries from 1 to 1000000, not '" + value.get() + "'");
                    interval = NodeConfig.Audit.DEFAULT_CHECKPOINT_INTERVAL;
                }
            }
        }
        return new NodeConfig.Audit(interval);
    }

    private static NodeConfig.Policies policies(Optional<YamlSection> section, Path baseDir) {
        Map<String, String> purposes = new LinkedHashMap<>();
        Map<String, List<String>> allow = new LinkedHashMap<>();
        Optional<Path> dir = Optional.empty();
        if (section.isPresent()) {
            YamlSection s = section.get();
            s.allowOnly(Set.of("dir", "purposes", "allow"));
            dir = s.string("dir").map(d -> baseDir.resolve(d).normalize());
            if (dir.isPresent() && s.has("allow")) {
                s.errorAt("allow", "TB-CONFIG-004", "give either 'policies.dir' (a policy set) or 'policies.allow' "
                        + "(a plain allow-list), not both");
            }
            s.section("purposes").ifPresent(p -> p.keys().forEach(plugin -> p.string(plugin).ifPresent(code -> {
                if (!PurposeOfUse.isKnown(code)) {
                    p.errorAt(plugin, "TB-CONFIG-004", "unknown purpose of use '" + code + "'; expected one of: "
                            + String.join(", ", new java.util.TreeSet<>(PurposeOfUse.CODES)));
                }
                purposes.put(plugin, code);
            })));
            s.section("allow").ifPresent(a -> a.keys().forEach(plugin ->
                    a.strings(plugin).ifPresent(types -> allow.put(plugin, types))));
        }
        return new NodeConfig.Policies(dir, purposes, allow);
    }

    private static ConsentSettings consent(Optional<YamlSection> section) {
        Map<String, Effect> defaults = new LinkedHashMap<>();
        Map<String, List<String>> actors = new LinkedHashMap<>();
        Map<String, String> custodians = new LinkedHashMap<>();
        if (section.isPresent()) {
            YamlSection s = section.get();
            s.allowOnly(Set.of("defaults", "actors", "custodians"));
            s.section("defaults").ifPresent(d -> d.keys().forEach(purpose -> d.string(purpose).ifPresent(value -> {
                if (!PurposeOfUse.isKnown(purpose)) {
                    d.errorAt(purpose, "TB-CONFIG-004", "unknown purpose of use '" + purpose + "' in '"
                            + d.qualified(purpose) + "'; expected one of: "
                            + String.join(", ", new java.util.TreeSet<>(PurposeOfUse.CODES)));
                } else if (!value.equals("permit") && !value.equals("deny")) {
                    d.errorAt(purpose, "TB-CONFIG-004", "'" + d.qualified(purpose) + "' must be permit or deny, not '"
                            + value + "'");
                } else {
                    defaults.put(purpose, value.equals("permit") ? Effect.PERMIT : Effect.DENY);
                }
            })));
            s.section("actors").ifPresent(a -> a.keys().forEach(plugin -> a.strings(plugin).ifPresent(refs -> {
                refs.stream().filter(ref -> !REFERENCE.matcher(ref).matches()).findFirst().ifPresent(bad ->
                        a.errorAt(plugin, "TB-CONFIG-004", "'" + a.qualified(plugin) + "': '" + bad + "' is not a "
                                + "literal FHIR reference such as Device/" + plugin));
                actors.put(plugin, refs);
            })));
            s.section("custodians").ifPresent(c -> c.keys().forEach(connector -> c.string(connector).ifPresent(ref -> {
                if (!REFERENCE.matcher(ref).matches()) {
                    c.errorAt(connector, "TB-CONFIG-004", "'" + c.qualified(connector) + "': '" + ref + "' is not a "
                            + "literal FHIR reference such as Organization/st-marys");
                }
                custodians.put(connector, ref);
            })));
        }
        return new ConsentSettings(new ConsentDefaults(defaults), actors, custodians);
    }

    /** Keys each sink type accepts besides the common ones. */
    private static final Map<String, Set<String>> SINK_KEYS = Map.of(
            "log", Set.of(),
            "fhir", Set.of("base-url", "token-env", "token-file"),
            "mqtt", Set.of("broker", "topic"),
            "webhook", Set.of("url", "token-env", "token-file"));
    private static final Set<String> SINK_COMMON = Set.of("id", "type", "purpose", "plugins", "kinds", "retry-backoff",
            "retry-max-backoff", "timeout");
    private static final Set<String> OUTPUT_KINDS = Set.of("OBSERVATION", "RISK_ASSESSMENT", "ALERT");

    private static List<NodeConfig.Sink> sinks(List<YamlSection> items, Path baseDir) {
        List<NodeConfig.Sink> sinks = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (YamlSection item : items) {
            String id = item.requireString("id", "id: care-team-alerts");
            String type = item.requireString("type", "type: mqtt");
            String purpose = item.requireString("purpose", "purpose: TREAT");
            if (!id.isEmpty() && !ID.matcher(id).matches()) {
                item.errorAt("id", "TB-CONFIG-004", "sink id '" + id + "' must be lower-case letters, digits and dashes");
            } else if (!id.isEmpty() && !seen.add(id)) {
                item.errorAt("id", "TB-CONFIG-006", "sink id '" + id + "' is used twice");
            }
            if (!purpose.isEmpty() && !PurposeOfUse.isKnown(purpose)) {
                item.errorAt("purpose", "TB-CONFIG-004", "unknown purpose of use '" + purpose + "'; expected one of: "
                        + String.join(", ", new java.util.TreeSet<>(PurposeOfUse.CODES)));
            }
            Set<String> typeKeys = SINK_KEYS.get(type);
            if (typeKeys == null) {
                if (!type.isEmpty()) {
                    item.errorAt("type", "TB-CONFIG-004", "unknown sink type '" + type + "'; available: "
                            + String.join(", ", new java.util.TreeSet<>(SINK_KEYS.keySet())));
                }
                continue;
            }
            item.allowOnly(union(SINK_COMMON, typeKeys));
            Set<String> kinds = new java.util.TreeSet<>(item.strings("kinds").orElse(List.of()));
            kinds.stream().filter(k -> !OUTPUT_KINDS.contains(k)).findFirst().ifPresent(bad -> item.errorAt("kinds",
                    "TB-CONFIG-004", "unknown output kind '" + bad + "'; expected: ALERT, OBSERVATION, RISK_ASSESSMENT"));
            Optional<String> target = Optional.empty();
            Optional<String> topic = Optional.empty();
            switch (type) {
                case "fhir" -> target = Optional.of(url(item, "base-url", "base-url: \"http://ehr.local/fhir\"",
                        "http://", "https://"));
                case "webhook" -> target = Optional.of(url(item, "url", "url: \"https://alerts.local/hook\"",
                        "http://", "https://"));
                case "mqtt" -> {
                    target = Optional.of(url(item, "broker", "broker: \"tcp://127.0.0.1:1883\"", "tcp://", "ssl://"));
                    String t = item.requireString("topic", "topic: \"alerts/{plugin}\"");
                    if (t.contains("+") || t.contains("#")) {
                        item.errorAt("topic", "TB-CONFIG-004", "'" + item.qualified("topic") + "' is a topic to publish "
                                + "to; it may not hold the wildcards + or #");
                    }
                    topic = Optional.of(t);
                }
                default -> {
                    // log: no receiver settings
                }
            }
            Optional<SecretRef> token = typeKeys.contains("token-env") ? token(item, baseDir) : Optional.empty();
            sinks.add(new NodeConfig.Sink(id, type, purpose,
                    new java.util.TreeSet<>(item.strings("plugins").orElse(List.of())), kinds, target, topic, token,
                    duration(item, "retry-backoff", java.time.Duration.ofSeconds(1)),
                    duration(item, "retry-max-backoff", java.time.Duration.ofMinutes(5)),
                    duration(item, "timeout", java.time.Duration.ofSeconds(10))));
        }
        return sinks;
    }

    private static String url(YamlSection item, String key, String example, String... schemes) {
        String value = item.requireString(key, example);
        if (!value.isEmpty() && java.util.Arrays.stream(schemes).noneMatch(value::startsWith)) {
            item.errorAt(key, "TB-CONFIG-004", "'" + item.qualified(key) + "' must start with "
                    + String.join(" or ", schemes) + ", not '" + value + "'");
        }
        return value;
    }

    private static Optional<SecretRef> token(YamlSection s, Path baseDir) {
        Optional<String> env = s.string("token-env");
        Optional<String> file = s.string("token-file");
        if (env.isPresent() && file.isPresent()) {
            s.errorAt("token-file", "TB-CONFIG-004", "give either '" + s.qualified("token-env") + "' or '"
                    + s.qualified("token-file") + "', not both");
        }
        if (env.isPresent()) {
            return Optional.of(new SecretRef.FromEnv(env.get(), s.errorHere("TB-SINK-002",
                    "environment variable " + env.get() + " (" + s.qualified("token-env") + ") is not set")));
        }
        return file.map(f -> new SecretRef.FromFile(baseDir.resolve(f), s.errorHere("TB-SINK-002",
                "cannot read token file " + f + " (" + s.qualified("token-file") + ")")));
    }

    /** A positive duration, or the fallback when absent; zero and malformed values are reported. */
    private static Duration duration(YamlSection s, String key, Duration fallback) {
        Optional<Duration> value = duration(s, key);
        if (value.isPresent() && value.get().isZero()) {
            s.errorAt(key, "TB-CONFIG-004", "'" + s.qualified(key) + "' must be a positive duration such as 500ms, "
                    + "10s, 5m or 1h, not '" + s.string(key).orElse("") + "'");
            return fallback;
        }
        return value.orElse(fallback);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
