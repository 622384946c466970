package org.twinbridge.runtime.plugin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.plugin.signing.JarSignatures;
import org.twinbridge.runtime.plugin.signing.SignatureCheck;
import org.twinbridge.runtime.plugin.signing.TrustStore;
import org.twinbridge.runtime.plugin.signing.VendorKey;

/**
 * Looks at every jar in the plugin directory without running any of its code: reads its pf4j manifest, checks
 * its signature against the trust store, and decides whether it may load.
 *
 * <p>With {@code plugins.require-signed: true} only {@code VALID} jars load. Without it, unsigned, untrusted
 * and expired jars load with a warning, but a jar whose signature does not match (altered), is malformed or
 * whose certificate is revoked is refused all the same: those mean someone tampered with it.
 */
public final class PluginScan {

    private static final long MAX_JAR_BYTES = 512L << 20;

    private PluginScan() {
    }

    /** The manifest attribute that says what a plugin jar provides: {@code twin} (the default) or {@code connector}. */
    public static final String KIND_ATTRIBUTE = "Plugin-Kind";
    /** The manifest attribute of a connector plugin: the connector types it provides, separated by commas. */
    public static final String CONNECTOR_TYPES_ATTRIBUTE = "Connector-Types";
    private static final java.util.regex.Pattern TYPE = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /**
     * One jar in the plugin directory.
     *
     * @param pluginId       from the jar's {@code Plugin-Id}, or the file name if it has none
     * @param kind           what the jar's manifest says it provides
     * @param connectorTypes for a connector plugin, the connector types its manifest declares; empty for a twin
     * @param refusal        why it may not load; empty if it may
     */
    public record PluginFile(Path jar, String pluginId, String version, PluginKind kind, List<String> connectorTypes,
            SignatureCheck signature, Optional<String> refusal) {

        public PluginFile {
            connectorTypes = List.copyOf(connectorTypes);
        }

        public boolean admitted() {
            return refusal.isEmpty();
        }
    }

    /** A scanned jar with the exact bytes that were checked, so those (and only those) are loaded. */
    record Candidate(PluginFile file, byte[] bytes) {
    }

    /** Scans every {@code *.jar} of the configured directory, in name order. */
    public static List<PluginFile> scan(NodeConfig.Plugins config, Instant now) {
        return candidates(config, now).stream().map(Candidate::file).toList();
    }

    /** Checks one jar (wherever it is) against the configured trust store. */
    public static PluginFile check(Path jar, NodeConfig.Plugins config, Instant now) {
        Trust trust = trust(config);
        return candidate(jar, config, trust, now).file();
    }

    static List<Candidate> candidates(NodeConfig.Plugins config, Instant now) {
        if (!Files.isDirectory(config.dir())) {
            return List.of();
        }
        Trust trust = trust(config);
        List<Candidate> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(config.dir())) {
            for (Path jar : files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .filter(Files::isRegularFile).sorted().toList()) {
                out.add(candidate(jar, config, trust, now));
            }
        } catch (IOException e) {
            throw new IllegalStateException("TB-PLUGIN-005 cannot list plugin directory " + config.dir(), e);
        }
        return out;
    }

    private record Trust(TrustStore store, Optional<String> problem) {
    }

    private static Trust trust(NodeConfig.Plugins config) {
        if (config.trustStore().isEmpty()) {
            return new Trust(TrustStore.empty(), Optional.empty());
        }
        try {
            return new Trust(TrustStore.load(config.trustStore().get()), Optional.empty());
        } catch (TrustStore.TrustStoreException e) {
            return new Trust(TrustStore.empty(), Optional.of(e.getMessage()));
        }
    }

    private static Candidate candidate(Path jar, NodeConfig.Plugins config, Trust trust, Instant now) {
        String name = jar.getFileName().toString();
        byte[] bytes;
        try {
            if (Files.size(jar) > MAX_JAR_BYTES) {
                return refused(jar, name, "?", "TB-PLUGIN-004 the jar is larger than 512 MiB");
            }
            bytes = Files.readAllBytes(jar);
        } catch (IOException e) {
            return refused(jar, name, "?", "TB-PLUGIN-004 cannot read the jar (" + e.getClass().getSimpleName() + ")");
        }
        String id = name;
        String version = "?";
        String kindText = null;
        String typesText = null;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bytes))) {
            Manifest manifest = in.getManifest();
            if (manifest != null && manifest.getMainAttributes().getValue("Plugin-Id") != null) {
                id = manifest.getMainAttributes().getValue("Plugin-Id");
                version = String.valueOf(manifest.getMainAttributes().getValue("Plugin-Version"));
                kindText = manifest.getMainAttributes().getValue(KIND_ATTRIBUTE);
                typesText = manifest.getMainAttributes().getValue(CONNECTOR_TYPES_ATTRIBUTE);
            }
        } catch (IOException e) {
            // Not a readable jar: its signature check below still says what is wrong with it.
        }
        Path sigFile = VendorKey.signatureOf(jar);
        Optional<byte[]> signature;
        try {
            signature = Files.exists(sigFile) ? Optional.of(Files.readAllBytes(sigFile)) : Optional.empty();
        } catch (IOException e) {
            signature = Optional.of(new byte[0]);
        }
        SignatureCheck check = JarSignatures.verify(bytes, signature, trust.store(), now);
        Optional<String> refusal = refusal(check, config.requireSigned(), trust.problem());
        Optional<PluginKind> kind = PluginKind.parse(kindText);
        List<String> types = typesText == null ? List.of() : java.util.Arrays.stream(typesText.split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).toList();
        if (refusal.isEmpty() && kind.isEmpty()) {
            refusal = Optional.of("TB-PLUGIN-040 the manifest's " + KIND_ATTRIBUTE + " is '" + kindText
                    + "'; expected twin or connector");
        } else if (refusal.isEmpty() && kind.get() == PluginKind.CONNECTOR
                && (types.isEmpty() || !types.stream().allMatch(t -> TYPE.matcher(t).matches()))) {
            refusal = Optional.of("TB-PLUGIN-040 a connector plugin's manifest must name its connector types in "
                    + CONNECTOR_TYPES_ATTRIBUTE + " (lower-case letters, digits and dashes, separated by commas)");
        }
        PluginKind actual = kind.orElse(PluginKind.TWIN);
        return new Candidate(new PluginFile(jar, id, version, actual,
                actual == PluginKind.CONNECTOR ? types.stream().filter(t -> TYPE.matcher(t).matches()).toList()
                        : List.of(), check, refusal), bytes);
    }

    private static Candidate refused(Path jar, String id, String version, String reason) {
        SignatureCheck none = new SignatureCheck(SignatureCheck.Status.MALFORMED, Optional.empty(), Optional.empty(),
                "not checked");
        return new Candidate(new PluginFile(jar, id, version, PluginKind.TWIN, List.of(), none, Optional.of(reason)),
                new byte[0]);
    }

    static Optional<String> refusal(SignatureCheck check, boolean requireSigned, Optional<String> trustProblem) {
        if (check.valid()) {
            return Optional.empty();
        }
        boolean tampered = check.status() == SignatureCheck.Status.ALTERED
                || check.status() == SignatureCheck.Status.MALFORMED || check.status() == SignatureCheck.Status.REVOKED;
        if (!tampered && !requireSigned) {
            return Optional.empty();
        }
        return Optional.of(check.message() + check.signer().map(s -> "; signer " + s).orElse("")
                + trustProblem.map(p -> " (" + p + ")").orElse(""));
    }
}
