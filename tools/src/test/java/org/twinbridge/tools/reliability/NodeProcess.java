package org.twinbridge.tools.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.twinbridge.tools.cli.TwinBridgeCli;

/**
 * A node running {@code twinbridge run -c CONFIG} in a separate JVM on this test's class path, so that it can be
 * killed with SIGKILL ({@link Process#destroyForcibly()} on Linux) like a crashing server. Its output is appended
 * to a log file.
 */
final class NodeProcess {

    private static final String READY = "TwinBridge node ";
    private final Process process;
    private final Path log;
    private final long logStart;

    private NodeProcess(Process process, Path log, long logStart) {
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    static NodeProcess start(Path config, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
                TwinBridgeCli.class.getName(), "run", "-c", config.toString()));
        long start = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Stack traces of a failed start help whoever debugs a red run; the data is synthetic.
        builder.environment().put("TWINBRIDGE_DEBUG", "1");
        builder.environment().put("TWINBRIDGE_LOG_LEVEL", System.getProperty("twinbridge.node.log", "INFO"));
        return new NodeProcess(builder.start(), log, start);
    }

    /** Waits until the node says it is running; false if it exited or the time ran out first. */
    boolean awaitReady(Duration limit) throws IOException, InterruptedException {
        return awaitOutput(READY, limit);
    }

    /** Waits until this process's output contains the text; false if it exited or the time ran out first. */
    boolean awaitOutput(String text, Duration limit) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** This process's part of the log. */
    String output() throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
                StandardCharsets.UTF_8);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node process " + process.pid() + " survived SIGKILL");
        }
    }

    /** SIGTERM: the node stops cleanly through its shutdown hook. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
        return process.exitValue();
    }
}
