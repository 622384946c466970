package org.twinbridge.runtime.plugin.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * The class path of a plugin process: one jar holding the SDK and the libraries it needs (HAPI FHIR and its
 * dependencies, pf4j, the SLF4J API), copied out of the node's own class path by package, and nothing of the
 * node (no runtime, database drivers, crypto, Camel or configuration classes).
 *
 * <p>The node may run from one shaded jar, so the copy goes by package prefix, not by jar. It is built once per
 * distinct node class path and cached under a name derived from it.
 */
public final class PluginApiJar {

    /** Package prefixes (as paths) a plugin process gets: the SDK and the closure of libraries its API uses. */
    static final List<String> INCLUDED = List.of("org/twinbridge/sdk/", "ca/uhn/fhir/", "org/hl7/fhir/",
            "org/pf4j/", "org/slf4j/", "com/fasterxml/jackson/", "org/apache/commons/lang3/",
            "org/apache/commons/text/", "org/apache/commons/codec/", "org/apache/commons/io/",
            "com/google/common/", "com/google/thirdparty/", "io/opentelemetry/api/", "io/opentelemetry/context/");
    /** Inside the included prefixes, what still stays out: the vendor harness and the node's SDK test kit. */
    static final List<String> EXCLUDED = List.of("org/twinbridge/sdk/testing/", "ca/uhn/fhir/rest/client/",
            "ca/uhn/fhir/jpa/");

    private PluginApiJar() {
    }

    /** Whether an entry of the node's class path goes into the plugin process's class path. */
    static boolean included(String entry) {
        return INCLUDED.stream().anyMatch(entry::startsWith) && EXCLUDED.stream().noneMatch(entry::startsWith);
    }

    /**
     * The plugin API jar for this JVM's class path, built into {@code cacheDir} if it is not there yet.
     *
     * @throws UncheckedIOException if the class path cannot be read or the jar cannot be written
     */
    public static Path forThisNode(Path cacheDir) {
        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.exists(Path.of(entry))) {
                classPath.add(Path.of(entry).toAbsolutePath().normalize());
            }
        }
        try {
            Files.createDirectories(cacheDir);
            Path target = cacheDir.resolve("plugin-api-" + fingerprint(classPath) + ".jar");
            if (Files.isRegularFile(target)) {
                return target;
            }
            Path temp = Files.createTempFile(cacheDir, "plugin-api-", ".tmp");
            try {
                write(classPath, temp);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("TB-PLUGIN-033 cannot build the plugin processes' class path in "
                    + cacheDir, e);
        }
    }

    private static String fingerprint(List<Path> classPath) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join("|", INCLUDED).getBytes(StandardCharsets.UTF_8));
            sha.update(String.join("|", EXCLUDED).getBytes(StandardCharsets.UTF_8));
            for (Path p : classPath) {
                sha.update(p.toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(p)) {
                    sha.update((Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis())
                            .getBytes(StandardCharsets.UTF_8));
                } else {
                    // A class directory (a development build): its newest file stands for its content.
                    try (Stream<Path> files = Files.walk(p)) {
                        long newest = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().lastModified())
                                .max().orElse(0);
                        sha.update(Long.toString(newest).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(List<Path> classPath, Path target) throws IOException {
        Set<String> written = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            out.setLevel(Deflater.BEST_SPEED);
            for (Path source : classPath) {
                if (Files.isDirectory(source)) {
                    try (Stream<Path> files = Files.walk(source)) {
                        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                            String name = source.relativize(file).toString().replace(File.separatorChar, '/');
                            if (included(name) && written.add(name)) {
                                out.putNextEntry(new JarEntry(name));
                                Files.copy(file, out);
                                out.closeEntry();
                            }
                        }
                    }
                } else {
                    copyJar(source, out, written);
                }
            }
        }
    }

    private static void copyJar(Path source, JarOutputStream out, Set<String> written) throws IOException {
        try (JarFile jar = new JarFile(source.toFile(), false)) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                String name = entry.getName();
                if (entry.isDirectory() || !included(name) || !written.add(name)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = jar.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        } catch (java.util.zip.ZipException notAJar) {
            // Not a jar (a stray file on the class path): it contributes nothing.
        }
    }

}
