package org.twinbridge.tools.demo;

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
 * Files the build bundles into the runtime (the example plugin jars under {@code bundled-plugins/}, the demo
 * policy set under {@code bundled-policies/demo/}), copied out to a directory so that the node reads them
 * exactly as it reads an operator's files. Works from the shaded jar and from a classes directory.
 */
public final class BundledFiles {

    private BundledFiles() {
    }

    /** Copies everything under the class-path folder into {@code target}, keeping sub-folders. */
    public static List<String> extract(String folder, Path target) throws IOException {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        Files.createDirectories(target);
        Path codeSource;
        try {
            codeSource = Path.of(BundledFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the runtime's own jar", e);
        }
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(codeSource)) {
            Path source = codeSource.resolve(prefix);
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        String relative = source.relativize(file).toString();
                        copy(Files.newInputStream(file), target.resolve(relative));
                        names.add(relative);
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
                if (name.startsWith(prefix) && !entry.isDirectory() && !name.contains("..")) {
                    String relative = name.substring(prefix.length());
                    copy(jar.getInputStream(entry), target.resolve(relative));
                    names.add(relative);
                }
            }
        }
        return names;
    }

    private static void copy(InputStream in, Path to) throws IOException {
        try (in) {
            Files.createDirectories(to.getParent());
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
