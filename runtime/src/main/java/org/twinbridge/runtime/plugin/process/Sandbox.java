package org.twinbridge.runtime.plugin.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How a plugin process is confined by the operating system.
 *
 * <ul>
 *   <li>{@link Bubblewrap}: on Linux with {@code bwrap}. The child gets new user, PID, network, IPC, UTS and
 *       cgroup namespaces (so no network but an unconnected loopback, and no view of the node's processes), no
 *       capabilities, an empty environment, its own session, a private {@code /tmp}, and a read-only view of
 *       nothing but the JDK, the system libraries the JVM links against, the plugin API jar and the plugin's own
 *       jar. The node's data directory, keystore, database and configuration are not in its file system.</li>
 *   <li>{@link Unsandboxed}: where no sandbox works; only when the operator allows it. The child is still a
 *       separate process with an empty environment and no database connection or keys, but it can read what the
 *       node's user can read and open network connections.</li>
 * </ul>
 */
public sealed interface Sandbox permits Sandbox.Bubblewrap, Sandbox.Unsandboxed {

    /** Where the plugin API jar and the plugin jar appear inside the sandbox. */
    String API_JAR = "/twinbridge/plugin-api.jar";
    String PLUGIN_DIR = "/twinbridge/plugin";

    /** The command that runs {@code javaArgs} (after the java binary) confined, with these two jars. */
    List<String> command(Path java, List<String> jvmOptions, Path apiJar, Path pluginJar, String mainClass);

    /** One line for logs and {@code plugin list}. */
    String describe();

    /** Whether the child is confined by the OS. */
    boolean confines();

    /** The bubblewrap sandbox. */
    record Bubblewrap(Path bwrap, List<String> readOnly, List<String[]> symlinks) implements Sandbox {
        public Bubblewrap {
            readOnly = List.copyOf(readOnly);
            symlinks = List.copyOf(symlinks);
        }

        /** bwrap and its confinement, up to (not including) the command it runs. */
        List<String> confinement(List<String> extraBinds) {
            List<String> cmd = new ArrayList<>(List.of(bwrap.toString(), "--unshare-all", "--die-with-parent",
                    "--new-session", "--cap-drop", "ALL", "--clearenv", "--uid", "65534", "--gid", "65534",
                    "--hostname", "twinbridge-plugin"));
            for (String dir : readOnly) {
                cmd.addAll(List.of("--ro-bind", dir, dir));
            }
            for (String[] link : symlinks) {
                cmd.addAll(List.of("--symlink", link[0], link[1]));
            }
            cmd.addAll(extraBinds);
            cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp",
                    "--remount-ro", "/"));
            return cmd;
        }

        @Override
        public List<String> command(Path java, List<String> jvmOptions, Path apiJar, Path pluginJar,
                String mainClass) {
            String pluginInside = PLUGIN_DIR + "/" + pluginJar.getFileName();
            List<String> cmd = confinement(List.of("--ro-bind", apiJar.toAbsolutePath().toString(), API_JAR,
                    "--ro-bind", pluginJar.toAbsolutePath().toString(), pluginInside));
            cmd.add(java.toString());
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-Djava.io.tmpdir=/tmp", "-cp", API_JAR, mainClass, pluginInside));
            return cmd;
        }

        @Override
        public String describe() {
            return "sandboxed (bubblewrap: no network, own PID namespace, read-only JDK and plugin jar, private /tmp)";
        }

        @Override
        public boolean confines() {
            return true;
        }
    }

    /** No OS sandbox. */
    record Unsandboxed(String why) implements Sandbox {
        @Override
        public List<String> command(Path java, List<String> jvmOptions, Path apiJar, Path pluginJar,
                String mainClass) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java.toString());
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", apiJar.toAbsolutePath().toString(), mainClass,
                    pluginJar.toAbsolutePath().toString()));
            return cmd;
        }

        @Override
        public String describe() {
            return "UNSANDBOXED process (" + why + "): it can read the node user's files and open network "
                    + "connections";
        }

        @Override
        public boolean confines() {
            return false;
        }
    }

    /**
     * Bubblewrap if it is installed and works here (it is tried once, with {@code java -version} inside the very
     * sandbox plugins get), otherwise {@link Unsandboxed} saying why.
     */
    static Sandbox detect(Path javaBin) {
        Optional<Path> bwrap = Stream.of("/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap").map(Path::of)
                .filter(Files::isExecutable).findFirst();
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return new Unsandboxed("no sandbox on " + System.getProperty("os.name"));
        }
        if (bwrap.isEmpty()) {
            return new Unsandboxed("bubblewrap (bwrap) is not installed");
        }
        Bubblewrap sandbox = new Bubblewrap(bwrap.get(), readOnlyRoots(javaBin), systemSymlinks());
        List<String> cmd = sandbox.confinement(List.of());
        cmd.addAll(List.of(javaBin.toString(), "-Xmx16m", "-version"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Unsandboxed("bubblewrap did not start a JVM within 30s");
            }
            return p.exitValue() == 0 ? sandbox
                    : new Unsandboxed("bubblewrap is installed but cannot create its namespaces here (exit "
                            + p.exitValue() + ")");
        } catch (IOException e) {
            return new Unsandboxed("bubblewrap cannot be run (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unsandboxed("interrupted while trying bubblewrap");
        }
    }

    /**
     * The JDK (resolved) and the system library directories; plus any file the JDK links to outside them (on
     * Debian its {@code conf} files live under {@code /etc/java-NN-openjdk}), each bound on its own.
     */
    private static List<String> readOnlyRoots(Path java) {
        Set<String> roots = new LinkedHashSet<>();
        for (String lib : List.of("/usr/lib", "/usr/lib64", "/usr/lib32")) {
            if (Files.isDirectory(Path.of(lib), LinkOption.NOFOLLOW_LINKS)) {
                roots.add(lib);
            }
        }
        for (String lib : List.of("/lib", "/lib64")) {
            Path p = Path.of(lib);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                roots.add(lib);
            }
        }
        Path home;
        try {
            home = java.toRealPath().getParent().getParent();
        } catch (IOException e) {
            home = java.getParent().getParent();
        }
        if (roots.stream().noneMatch(home.toString()::startsWith)) {
            roots.add(home.toString());
        }
        try (Stream<Path> files = Files.walk(home)) {
            for (Path link : files.filter(Files::isSymbolicLink).toList()) {
                String inside = home.relativize(link).toString();
                if (inside.startsWith("legal") || inside.startsWith("man")) {
                    continue;
                }
                try {
                    String target = link.toRealPath().toString();
                    if (roots.stream().noneMatch(r -> target.startsWith(r + "/"))) {
                        roots.add(target);
                    }
                } catch (IOException dangling) {
                    // A dangling link in the JDK: nothing to bind.
                }
            }
        } catch (IOException e) {
            // An unreadable JDK tree: the probe run will tell.
        }
        return List.copyOf(roots);
    }

    /** On merged-/usr systems {@code /lib} and {@code /lib64} are links into {@code /usr}; recreate them. */
    private static List<String[]> systemSymlinks() {
        List<String[]> links = new ArrayList<>();
        for (String lib : List.of("/lib", "/lib64", "/lib32")) {
            Path p = Path.of(lib);
            if (Files.isSymbolicLink(p)) {
                try {
                    links.add(new String[] {Files.readSymbolicLink(p).toString(), lib});
                } catch (IOException e) {
                    // unreadable link: leave it out
                }
            }
        }
        return links;
    }
}
