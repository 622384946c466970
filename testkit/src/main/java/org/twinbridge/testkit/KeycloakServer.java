package org.twinbridge.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Keycloak server (the {@code keycloak-quarkus-dist} that Maven unpacked into {@code target/keycloak}) per
 * test run: started in dev mode on 127.0.0.1 in its own process group, and stopped by killing that group when the
 * run ends (JUnit closes the root store's resources even after failures; a shutdown hook is the backstop). Its port
 * is 18080 unless the system property {@code twinbridge.keycloak.port} names another, so that two modules' tests
 * can each run one.
 */
public final class KeycloakServer implements BeforeAllCallback, AutoCloseable {

    public static final int PORT = Integer.getInteger("twinbridge.keycloak.port", 18080);
    public static final String URL = "http://127.0.0.1:" + PORT;
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private Process process;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KeycloakServer.class, key -> startNew(), KeycloakServer.class);
    }

    private static KeycloakServer startNew() {
        KeycloakServer server = new KeycloakServer();
        try {
            server.start();
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("Keycloak did not start: " + e.getMessage(), e);
        }
        return server;
    }

    private void start() throws Exception {
        Path home = Path.of(System.getProperty("twinbridge.keycloak.home",
                "target/keycloak/keycloak-26.5.6"));
        Path script = home.resolve("bin/kc.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " is missing: run the build through Maven's verify phase, "
                    + "which unpacks keycloak-quarkus-dist into target/keycloak");
        }
        if (answers(URL + "/")) {
            throw new IllegalStateException("something already listens on " + URL + "; stop it first");
        }
        script.toFile().setExecutable(true);
        Path log = Path.of("target/keycloak-it.log");
        ProcessBuilder builder = new ProcessBuilder("setsid", script.toString(), "start-dev", "--http-port=" + PORT,
                "--http-host=127.0.0.1").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "keycloak-it-stop"));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!answers(URL + "/realms/master/.well-known/openid-configuration")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Keycloak did not answer within " + START_TIMEOUT + "; see " + log);
            }
            Thread.sleep(1000);
        }
    }

    private static boolean answers(String url) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills the server's process group (setsid made its pid the group id), TERM first, KILL if it lingers. */
    @Override
    public synchronized void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            signal("TERM");
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                signal("KILL");
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, "--", "-" + process.pid()).inheritIO().start().waitFor();
    }
}
