package org.twinbridge.connector.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;

/**
 * A Mosquitto of the test's own, on a free port of 127.0.0.1, speaking MQTT 3.1.1 and 5 over TLS only, with a
 * server certificate from {@link TestPki} and {@code require_certificate true}: a client must present a
 * certificate issued by the test CA. Started from a generated configuration; stopped by its own process handle.
 * Without a {@code mosquitto} binary the test is skipped, unless {@code TWINBRIDGE_REQUIRE_SERVICES=true} (CI).
 */
final class TlsMosquitto implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private TlsMosquitto(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static TlsMosquitto start(TestPki pki, Path dir) throws Exception {
        return start(dir, port -> List.of(
                "listener " + port + " 127.0.0.1",
                "protocol mqtt",
                "cafile " + pki.caPem,
                "certfile " + pki.serverCertPem,
                "keyfile " + pki.serverKeyPem,
                "require_certificate true",
                "allow_anonymous true"));
    }

    private static TlsMosquitto start(Path dir, IntFunction<List<String>> listener) throws Exception {
        Path binary = binary();
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path config = dir.resolve("mosquitto-" + port + ".conf");
            Path log = dir.resolve("mosquitto-" + port + ".log");
            List<String> lines = new ArrayList<>(List.of(
                    "per_listener_settings false",
                    "persistence false",
                    // Run as root (as CI does), Mosquitto would switch to the 'mosquitto' user, which cannot read
                    // the test's directory; 'user root' keeps it as it is, and means nothing to any other user.
                    "user " + System.getProperty("user.name"),
                    "log_dest file " + log,
                    "log_type error",
                    "log_type warning",
                    "log_type notice"));
            lines.addAll(listener.apply(port));
            Files.writeString(config, String.join("\n", lines) + "\n");
            Process process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto-" + port + ".out").toFile())
                    .start();
            TlsMosquitto broker = new TlsMosquitto(process, port, log);
            if (broker.awaitListening()) {
                return broker;
            }
            broker.close();
            if (attempt >= 3) {
                throw new IllegalStateException("Mosquitto did not start on a free port; see " + dir);
            }
        }
    }

    /** {@code ssl://localhost:port}: the name the server certificate carries. */
    String url() {
        return "ssl://localhost:" + port;
    }

    /** {@code ssl://127.0.0.1:port}: the same broker by an address its certificate does not name. */
    String urlByAddress() {
        return "ssl://127.0.0.1:" + port;
    }

    /** The broker's own log (errors, warnings, notices such as refused handshakes). */
    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private boolean awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static Path binary() {
        for (String candidate : new String[] {"/usr/sbin/mosquitto", "/usr/bin/mosquitto",
                "/usr/local/sbin/mosquitto", "/usr/local/bin/mosquitto"}) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        if (Boolean.parseBoolean(System.getenv("TWINBRIDGE_REQUIRE_SERVICES"))) {
            throw new AssertionError("the mosquitto binary is required (TWINBRIDGE_REQUIRE_SERVICES=true) but "
                    + "was not found; install Debian's mosquitto package");
        }
        Assumptions.abort("no mosquitto binary; skipping the MQTT TLS tests (apt-get install mosquitto)");
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
