package org.twinbridge.runtime.plugin.process;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox this machine offers, found once per JVM binary (finding it starts a JVM in bubblewrap).
 *
 * <p>The system property {@code twinbridge.plugin.sandbox=off} makes the node behave as on a machine without a
 * sandbox (for testing that path); plugins then start only if {@code plugins.allow-unsandboxed} is true, as
 * on such a machine.
 */
public final class Sandboxes {

    private static final Map<Path, Sandbox> FOUND = new ConcurrentHashMap<>();

    private Sandboxes() {
    }

    public static Sandbox detect(Path java) {
        if ("off".equals(System.getProperty("twinbridge.plugin.sandbox"))) {
            return new Sandbox.Unsandboxed("the sandbox is switched off by -Dtwinbridge.plugin.sandbox=off");
        }
        return FOUND.computeIfAbsent(java, Sandbox::detect);
    }
}
