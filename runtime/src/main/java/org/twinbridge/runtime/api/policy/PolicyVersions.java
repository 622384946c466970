package org.twinbridge.runtime.api.policy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.policy.yaml.LocatedError;

/**
 * Uploaded policy versions, kept as numbered directories under {@code <data-dir>/policy-versions/}: {@code 3/} holds
 * the version's YAML files exactly as uploaded, {@code 3.properties} who uploaded it and when, and
 * {@code activations} one line per activation (version, subject, instant). Activating a version copies its files
 * into the node's policy directory, so the node starts with it after a restart. A version is immutable once stored.
 * Thread-safe (one writer at a time).
 */
public final class PolicyVersions {

    /** What the API shows of one stored version. */
    public record Version(int number, String policySet, String policyVersion, String uploadedBy, Instant uploadedAt,
            List<String> files) {
        public Version {
            files = List.copyOf(files);
        }
    }

    /** One activation: which version, by whom, when. */
    public record Activation(int number, String subject, Instant at) {
    }

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\\.ya?ml");
    private static final String ACTIVATIONS = "activations";

    private final Path root;
    private final PolicyLoader loader;

    public PolicyVersions(Path root, FhirContext fhir) {
        this.root = root;
        this.loader = new PolicyLoader(fhir);
    }

    /** True if {@code name} may be a file of a policy version. */
    public static boolean validFileName(String name) {
        return FILE_NAME.matcher(name).matches() && !name.contains("..");
    }

    /**
     * Validates the files as a whole policy set and stores them as the next version, or returns the stored version
     * with identical content.
     *
     * @throws PolicyException with every error, located by file name (not the storage path), line and column
     */
    public synchronized Stored upload(Map<String, String> files, String subject, Instant now)
            throws PolicyException, IOException {
        Files.createDirectories(root);
        Path staging = Files.createTempDirectory(root, "upload-");
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(staging.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
            PolicySet set;
            try {
                set = loader.load(staging);
            } catch (PolicyException e) {
                throw new PolicyException(e.errors().stream().map(error -> relative(error, staging)).toList());
            }
            for (Version existing : list()) {
                if (existing.policyVersion().equals(set.version())) {
                    return new Stored(existing, false);
                }
            }
            int number = list().stream().mapToInt(Version::number).max().orElse(0) + 1;
            Files.move(staging, root.resolve(Integer.toString(number)));
            Properties meta = new Properties();
            meta.setProperty("policy-set", set.id());
            meta.setProperty("policy-version", set.version());
            meta.setProperty("uploaded-by", subject);
            meta.setProperty("uploaded-at", now.toString());
            try (Writer out = Files.newBufferedWriter(root.resolve(number + ".properties"))) {
                meta.store(out, "TwinBridge policy version " + number);
            }
            return new Stored(get(number).orElseThrow(), true);
        } finally {
            if (Files.exists(staging)) {
                deleteTree(staging);
            }
        }
    }

    /** The result of an upload: the version, and whether it is new. */
    public record Stored(Version version, boolean created) {
    }

    public synchronized List<Version> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Version> versions = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path meta : entries.filter(p -> p.getFileName().toString().matches("\\d+\\.properties")).toList()) {
                String name = meta.getFileName().toString();
                get(Integer.parseInt(name.substring(0, name.indexOf('.')))).ifPresent(versions::add);
            }
        }
        versions.sort(Comparator.comparingInt(Version::number));
        return versions;
    }

    public synchronized Optional<Version> get(int number) throws IOException {
        Path meta = root.resolve(number + ".properties");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(meta)) {
            p.load(in);
        }
        return Optional.of(new Version(number, p.getProperty("policy-set"), p.getProperty("policy-version"),
                p.getProperty("uploaded-by"), Instant.parse(p.getProperty("uploaded-at")),
                List.copyOf(files(number).keySet())));
    }

    /** A version's files, by name. */
    public synchronized Map<String, String> files(int number) throws IOException {
        Path dir = root.resolve(Integer.toString(number));
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path file : entries.filter(Files::isRegularFile).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    /** A version loaded as a policy set (for explain and activation). */
    public PolicySet load(int number) throws PolicyException {
        return loader.load(root.resolve(Integer.toString(number)));
    }

    /**
     * Makes {@code number} the content of the policy directory: its YAML files are written (each by an atomic
     * move) and top-level YAML files it does not have are removed. Other files (README, tests/) stay.
     */
    public synchronized void install(int number, Path policyDir, String subject, Instant now) throws IOException {
        Map<String, String> files = files(number);
        Files.createDirectories(policyDir);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path tmp = Files.createTempFile(policyDir, ".upload-", ".tmp");
            Files.writeString(tmp, file.getValue(), StandardCharsets.UTF_8);
            Files.move(tmp, policyDir.resolve(file.getKey()), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        try (Stream<Path> entries = Files.list(policyDir)) {
            for (Path stale : entries.filter(Files::isRegularFile).filter(p -> {
                String name = p.getFileName().toString();
                return (name.endsWith(".yaml") || name.endsWith(".yml")) && !files.containsKey(name);
            }).toList()) {
                Files.delete(stale);
            }
        }
        Files.writeString(root.resolve(ACTIVATIONS), number + " " + subject.replaceAll("\\s", "_") + " " + now + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** Every activation through the API, oldest first. */
    public synchronized List<Activation> activations() throws IOException {
        Path file = root.resolve(ACTIVATIONS);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Activation> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.split(" ");
            if (parts.length == 3) {
                out.add(new Activation(Integer.parseInt(parts[0]), parts[1], Instant.parse(parts[2])));
            }
        }
        return out;
    }

    private static LocatedError relative(LocatedError error, Path staging) {
        String file = error.file();
        String prefix = staging.toString() + java.io.File.separator;
        if (file.startsWith(prefix)) {
            file = file.substring(prefix.length());
        } else if (file.equals(staging.toString())) {
            file = "(upload)";
        }
        return new LocatedError(file, error.line(), error.column(), error.code(), error.message());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
