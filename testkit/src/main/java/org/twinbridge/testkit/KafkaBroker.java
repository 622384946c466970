package org.twinbridge.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Apache Kafka (KRaft, broker and controller in one process) for integration tests, run in its
 * own JVM from the Kafka artifacts on this JVM's class path ({@code org.apache.kafka:kafka_2.13}, a test
 * dependency of the module that uses it): {@code kafka.tools.StorageTool format} once, then {@code kafka.Kafka}
 * with a generated {@code server.properties}, both bound to 127.0.0.1 only. No container, no download at test
 * time.
 *
 * <p>{@link #kill()} is SIGKILL (nothing flushed), {@link #restart()} starts the broker again on the same ports
 * and log directory, as an operator restarting a crashed broker would. {@link #close()} stops it by its own PID.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String classPath;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort, String classPath) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.classPath = classPath;
    }

    /** Formats a log directory under {@code dir} and starts the broker; returns once it accepts connections. */
    public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        KafkaBroker broker = new KafkaBroker(dir, freePort(), freePort(), brokerClassPath());
        Path properties = broker.writeProperties();
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        Process format = broker.java("kafka.tools.StorageTool", List.of("format", "--standalone", "-t", clusterId,
                "-c", properties.toString()), dir.resolve("format.log"));
        if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("kafka-storage format failed:\n" + tail(dir.resolve("format.log")));
        }
        broker.launch();
        return broker;
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the broker dies without a clean shutdown. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("broker " + process.pid() + " survived SIGKILL");
        }
    }

    /** Starts the broker again on the same ports and log directory, after {@link #kill()} or {@link #close()}. */
    public void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker is still running");
        }
        launch();
    }

    /** Its log, for a failing test's message. */
    public String log() throws IOException {
        return tail(dir.resolve("broker.log"));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private void launch() throws IOException, InterruptedException {
        process = java("kafka.Kafka", List.of(dir.resolve("server.properties").toString()), dir.resolve("broker.log"));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited at start:\n" + log());
            }
            // The client listener opens once the broker has caught up with its metadata; clients retry until
            // the journal topic's leaders are elected.
            if (listening(port)) {
                return;
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("the Kafka broker did not start within 2 minutes:\n" + log());
    }

    private Path writeProperties() throws IOException {
        String properties = """
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                num.partitions=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=4
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=false
                log.flush.interval.messages=1
                """.formatted(port, controllerPort, dir.resolve("logs").toAbsolutePath());
        return Files.writeString(dir.resolve("server.properties"), properties);
    }

    private Process java(String mainClass, List<String> args, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-cp", classPath, mainClass));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * This JVM's class path, which must hold the broker ({@code kafka_2.13} and its runtime dependencies). The
     * test's logback configuration goes with it, so the broker logs to its file at INFO like a test node.
     */
    private static String brokerClassPath() {
        try {
            // Surefire and Failsafe may pass a manifest-only jar as the class path; its Class-Path entries hold the
            // broker then, so look for the class rather than for a jar name.
            Class.forName("kafka.Kafka", false, KafkaBroker.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("org.apache.kafka:kafka_2.13 is not on the test class path; add it as "
                    + "a test dependency of this module", e);
        }
        return System.getProperty("java.class.path");
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.substring(Math.max(0, text.length() - 4000));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
