package org.twinbridge.runtime.sink;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * POSTs each output as a FHIR JSON resource to a URL, with headers {@code Idempotency-Key} (the output id, the
 * same on every retry) and {@code X-TwinBridge-Plugin}/{@code -Kind}, and an optional bearer token. A 2xx accepts;
 * 5xx, 408, 429, 401, 403, timeouts and connection errors are retried; other statuses reject the output.
 */
final class WebhookSink implements Sink {

    private final URI url;
    private final Optional<String> token;
    private final Duration timeout;
    private final HttpClient http;
    private final FhirContext fhir = FhirContext.forR4Cached();

    WebhookSink(URI url, Optional<String> token, Duration timeout) {
        this.url = url;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void deliver(SinkMessage message) throws SinkException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/fhir+json")
                .header("Idempotency-Key", message.outputId())
                .header("X-TwinBridge-Plugin", message.pluginId())
                .header("X-TwinBridge-Kind", message.kind())
                .POST(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser().encodeResourceToString(
                        message.resource())));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<Void> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw SinkException.transientFailure(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SinkException.transientFailure("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw SinkException.forStatus(response.statusCode());
        }
    }
}
