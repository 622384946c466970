package org.twinbridge.federation.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Sends one signed task to one site over mutual TLS (java.net.http with the site's key) and returns its signed
 * answer. One client per peer, because its TLS context expects that peer's site name.
 */
public final class TaskClient {

    private final HttpClient http;
    private final URI endpoint;

    public TaskClient(SSLContext tls, URI base) {
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.endpoint = Objects.requireNonNull(base, "base").resolve(HttpsTaskServer.PATH);
    }

    /** How a call ended. */
    public sealed interface Outcome permits Answered, Unreachable, TimedOut {
    }

    public record Answered(int status, byte[] body) implements Outcome {
    }

    /** The site could not be reached, refused the handshake, or the connection broke. */
    public record Unreachable(String reason) implements Outcome {
    }

    public record TimedOut(Duration after) implements Outcome {
    }

    public Outcome submit(byte[] signedTask, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/pkcs7-mime")
                .POST(HttpRequest.BodyPublishers.ofByteArray(signedTask)).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answered(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            return new TimedOut(timeout);
        } catch (IOException e) {
            return new Unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : ": " + e.getMessage().lines().findFirst().orElse("")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unreachable("interrupted");
        }
    }
}
