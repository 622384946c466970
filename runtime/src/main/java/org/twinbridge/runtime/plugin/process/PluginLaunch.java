package org.twinbridge.runtime.plugin.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.sdk.internal.host.PluginProcessMain;

/**
 * Everything needed to start one plugin's process, again and again.
 *
 * @param pluginId the jar's {@code Plugin-Id}
 * @param jar      the verified copy of the plugin jar (never the operator's plugin directory)
 * @param apiJar   the plugin API jar ({@link PluginApiJar})
 * @param java     the JVM binary, the node's own
 * @param workDir  the unsandboxed process's working directory (a sandboxed one works in its private /tmp)
 */
public record PluginLaunch(String pluginId, Path jar, Path apiJar, Sandbox sandbox, Path java,
        NodeConfig.Isolation limits, Path workDir) {

    public PluginLaunch {
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(apiJar, "apiJar");
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(workDir, "workDir");
    }

    /** The node's own JVM binary. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The JVM options that bound the child: heap, metaspace, code cache, direct memory, one CPU's worth. */
    List<String> jvmOptions() {
        return List.of("-Xmx" + limits.heapMb() + "m", "-Xms16m", "-Xss512k", "-XX:MaxMetaspaceSize=160m",
                "-XX:ReservedCodeCacheSize=64m", "-XX:MaxDirectMemorySize=16m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-XX:+DisableAttachMechanism", "-XX:+DisplayVMOutputToStderr", "-Djava.awt.headless=true");
    }

    List<String> command() {
        return command(PluginProcessMain.class.getName());
    }

    /** The command that runs {@code mainClass} (a twin or an aggregate plugin's host) over the plugin jar. */
    List<String> command(String mainClass) {
        return sandbox.command(java, jvmOptions(), apiJar, jar, mainClass);
    }
}
