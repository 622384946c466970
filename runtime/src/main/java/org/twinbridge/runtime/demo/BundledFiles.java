package org.twinbridge.runtime.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The example plugin jars that the build bundles into the runtime under {@code bundled-plugins/}, copied
 * out to a plugins directory so that pf4j loads them exactly as it loads a vendor's jar.
 */
final class BundledPlugins {

    private static final String FOLDER = "bundled-plugins/";

    private BundledPlugins() {
    }

    /** Copies every bundled plugin jar into {@code target}; returns the file names. */
    static List<String> extractTo(Path target) throws IOException {
        Files.createDirectories(target);
        Path codeSource;
        try {
            codeSource = Path.of(BundledPlugins.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the runtime's own jar", e);
        }
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(codeSource)) {
            Path folder = codeSource.resolve(FOLDER);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> jars = Files.list(folder)) {
                    for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                        Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        names.add(jar.getFileName().toString());
                    }
                }
            }
            return names;
        }
        try (JarFile jar = new JarFile(codeSource.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(FOLDER) && name.endsWith(".jar") && name.indexOf('/', FOLDER.length()) < 0) {
                    String file = name.substring(FOLDER.length());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                    }
                    names.add(file);
                }
            }
        }
        return names;
    }
}
