package org.twinbridge.runtime.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP stack under the API: the body-reading attack, Jetty's own errors, and mounting another handler. */
class ApiServerTest {

    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = ApiServers.start(Optional.empty());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void unauthenticatedHugeBody_isRefused401_andIsNotRead() throws Exception {
        // The attacker promises 1 GiB and streams it as fast as the socket takes it. The server must answer 401
        // from the headers and close the connection rather than drain the body: the attacker gets to write no more
        // than the kernel's socket buffers hold, far below the 1 GiB.
        long promised = 1L << 30;
        AtomicLong written = new AtomicLong();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", api.port()), 30_000);
            socket.setSoTimeout(60_000); // a safety net only
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/things HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + promised + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread attacker = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (written.get() < promised) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException expected) {
                    // the server closed the connection
                }
            }, "attacker");
            attacker.start();

            String response = readUntilClosed(socket.getInputStream());
            socket.shutdownOutput();
            attacker.join(60_000);

            assertThat(response).startsWith("HTTP/1.1 401");
            assertThat(response).contains("TB-API-020");
            assertThat(attacker.isAlive()).as("the attacker's writes end when the server closes").isFalse();
            assertThat(written.get()).as("bytes the attacker could push").isLessThan(64L << 20);
        }
    }

    @Test
    void nonNumericContentLength_isTbApi008_fromJetty() throws Exception {
        String response = raw("POST /api/v1/things HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("application/problem+json").contains("TB-API-008");
    }

    @Test
    void malformedRequestLine_isAProblemDocument_fromJetty() throws Exception {
        String response = raw("GET /api/v1/things\u0001 HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("application/problem+json").contains("TB-API-012");
    }

    @Test
    void refusedRequestWithAnUnreadBody_saysTheConnectionCloses() throws Exception {
        // The body stays unread, so Jetty closes the connection: a client that was not told would send its next
        // request down it and get no answer.
        String response = raw("POST /api/v1/things HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(response).startsWith("HTTP/1.1 401");
        assertThat(response.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
    }

    /** Sends the request text as it is and reads until the server closes. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(60_000); // a safety net only
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readUntilClosed(socket.getInputStream());
        }
    }

    @Test
    void mountedHandler_isServedBesideTheApi_onTheSameListener() throws Exception {
        api.mount("/console", new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put("Content-Type", "text/plain");
                response.write(true, ByteBuffer.wrap(Request.getPathInContext(request)
                        .getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> console = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/console/page")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> apiCall = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/api/v1/things")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).isEqualTo("/page");
        assertThat(apiCall.statusCode()).as("the API's checks still apply at the root").isEqualTo(401);
    }

    @Test
    void mounting_overTheApi_orTwice_isRefused() {
        Handler.Abstract nothing = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return false;
            }
        };
        api.mount("/federation", nothing);

        assertThatThrownBy(() -> api.mount("/api", nothing)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> api.mount("/", nothing)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> api.mount("/federation", nothing)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        int n;
        try {
            while ((n = in.read(buffer)) != -1) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (java.net.SocketException reset) {
            // a reset after the answer arrived still ends the exchange
        }
        return text.toString();
    }
}
