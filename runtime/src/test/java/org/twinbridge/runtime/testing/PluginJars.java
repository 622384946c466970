package org.twinbridge.runtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.twinbridge.runtime.plugin.signing.VendorKey;

/** Real pf4j plugin jars, built in a test's temporary directory from test classes. */
public final class PluginJars {

    private PluginJars() {
    }

    /**
     * A jar holding only the extension class (with its nested classes and its superclasses from its own package,
     * which the isolating plugin class loader would not find outside the jar), its pf4j manifest and extension index.
     */
    public static Path write(Path jar, String pluginId, Class<?> extension) throws IOException {
        return write(jar, pluginId, extension, java.util.Map.of());
    }

    /** As {@link #write(Path, String, Class)}, with extra resources (name to bytes) in the jar. */
    public static Path write(Path jar, String pluginId, Class<?> extension, java.util.Map<String, byte[]> resources)
            throws IOException {
        return write(jar, pluginId, extension, resources, java.util.Map.of());
    }

    /** A connector plugin jar: its manifest says {@code Plugin-Kind: connector} and declares {@code types}. */
    public static Path writeConnector(Path jar, String pluginId, Class<?> extension, String types) throws IOException {
        return write(jar, pluginId, extension, java.util.Map.of(), java.util.Map.of("Plugin-Kind", "connector",
                "Connector-Types", types));
    }

    private static Path write(Path jar, String pluginId, Class<?> extension, java.util.Map<String, byte[]> resources,
            java.util.Map<String, String> attributes) throws IOException {
        Files.createDirectories(jar.toAbsolutePath().getParent());
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", pluginId);
        main.putValue("Plugin-Version", "1.0.0");
        main.putValue("Plugin-Provider", "TwinBridge tests");
        attributes.forEach(main::putValue);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            out.write((extension.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            for (java.util.Map.Entry<String, byte[]> resource : resources.entrySet()) {
                out.putNextEntry(new JarEntry(resource.getKey()));
                out.write(resource.getValue());
            }
            for (Class<?> type = extension; type != null && type.getPackageName().equals(extension.getPackageName());
                    type = type.getSuperclass()) {
                addClass(out, type);
                for (Class<?> nested : type.getDeclaredClasses()) {
                    addClass(out, nested);
                }
            }
        }
        return jar;
    }

    private static void addClass(JarOutputStream out, Class<?> type) throws IOException {
        String classFile = type.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(classFile));
        try (InputStream in = type.getClassLoader().getResourceAsStream(classFile)) {
            in.transferTo(out);
        }
    }

    /** A vendor with a fresh Ed25519 code-signing certificate valid from an hour ago for a year. */
    public static VendorKey vendor(String name) {
        return VendorKey.generate("CN=" + name + ",O=TwinBridge tests", Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(365)));
    }
}
