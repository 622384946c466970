package org.twinbridge.runtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Real pf4j plugin jars, built in a test's temporary directory from one test class. */
public final class PluginJars {

    private PluginJars() {
    }

    /** A jar holding only {@code twin} (a TwinModel marked {@code @Extension}), its manifest and extension index. */
    public static void write(Path jar, String pluginId, Class<?> twin) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", pluginId);
        main.putValue("Plugin-Version", "1.0.0");
        main.putValue("Plugin-Provider", "TwinBridge tests");
        String classFile = twin.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            out.write((twin.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry(classFile));
            try (InputStream in = twin.getClassLoader().getResourceAsStream(classFile)) {
                in.transferTo(out);
            }
        }
    }
}
