package org.twinbridge.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API refuses an unauthenticated caller before reading its request body, and refuses a source address
 * that keeps failing authentication before it even looks at its token. Requests go over raw sockets, so that a
 * test can send headers that promise a body and then never send it, and can choose its source address.
 */
class ApiAuthenticationFirstTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int AUTH_FAILURES_PER_MINUTE = 3;

    @TempDir
    Path dir;
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(dir, 1000, AUTH_FAILURES_PER_MINUTE);
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void requestWithoutAToken_isRefused401_withoutWaitingForItsBody() throws Exception {
        // The headers promise 4000 bytes that never come. A server that read the body before authenticating would
        // wait for them (until the socket's safety timeout fails this test); one that authenticates first answers.
        String response = exchange("127.0.0.1", "POST /api/v1/policies HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/yaml\r\nContent-Length: 4000\r\n\r\n");

        assertThat(status(response)).isEqualTo(401);
        assertThat(problem(response).path("code").asText()).isEqualTo("TB-API-020");
    }

    @Test
    void requestWithAForgedToken_isRefused401_withoutWaitingForItsBody() throws Exception {
        String forged = new Tokens("key-x", api.issuer, ApiFixture.AUDIENCE).token("u-po", "privacy-officer");
        String response = exchange("127.0.0.1", "PUT /api/v1/policies HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + forged + "\r\nContent-Length: 4000\r\n\r\n");

        assertThat(status(response)).isEqualTo(401);
        assertThat(problem(response).path("code").asText()).isEqualTo("TB-API-021");
    }

    @Test
    void repeatedFailedAuthentications_fromOneAddress_are429_evenWithAValidToken_andOtherAddressesAreNotAffected()
            throws Exception {
        String bad = "GET /api/v1/audit/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer not-a-token\r\n\r\n";
        String good = "GET /api/v1/audit/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + api.tokens.token("u-auditor", "auditor") + "\r\n\r\n";
        String response = "";
        // A new minute may begin during the loop and reset the count; then the limit is reached within it.
        for (int i = 0; i < 2 * AUTH_FAILURES_PER_MINUTE + 1 && status(response) != 429; i++) {
            response = exchange("127.0.0.2", bad);
        }
        assertThat(status(response)).isEqualTo(429);
        JsonNode doc = problem(response);
        assertThat(doc.path("code").asText()).isEqualTo("TB-API-011");
        assertThat(header(response, "Retry-After")).matches("[1-9][0-9]*");

        String blocked = exchange("127.0.0.2", good);
        String elsewhere = exchange("127.0.0.1", good);

        assertThat(status(blocked)).as("the address is refused before its token is looked at").isEqualTo(429);
        assertThat(status(elsewhere)).as(elsewhere).isEqualTo(200);
    }

    /** Sends the request text from this source address and reads the whole response; the server closes. */
    private String exchange(String from, String request) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", api.api.port()), 30_000);
            socket.setSoTimeout(60_000); // a safety net only: the server answers at once or the test has failed
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int contentLength = -1;
            int headerEnd = -1;
            while (headerEnd < 0 || read.size() < headerEnd + contentLength) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                read.write(buffer, 0, n);
                String text = read.toString(StandardCharsets.ISO_8859_1);
                if (headerEnd < 0 && text.contains("\r\n\r\n")) {
                    headerEnd = text.indexOf("\r\n\r\n") + 4;
                    String length = header(text, "Content-Length");
                    contentLength = length.isEmpty() ? 0 : Integer.parseInt(length);
                }
            }
            return read.toString(StandardCharsets.UTF_8);
        }
    }

    private static int status(String response) {
        return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : 0;
    }

    private static String header(String response, String name) {
        for (String line : response.substring(0, Math.max(0, response.indexOf("\r\n\r\n"))).split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }

    private static JsonNode problem(String response) throws Exception {
        assertThat(header(response, "Content-Type")).isEqualTo("application/problem+json");
        return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }
}
