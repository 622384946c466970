package org.twinbridge.federation.transport;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The site's task endpoint, {@code POST /federation/v1/tasks}, on the JDK's HTTPS server with client certificates
 * required. The TLS handshake has already refused untrusted peers; the handler sees only trusted ones. A handler
 * failure answers 500 without detail, and the server goes on.
 */
public final class HttpsTaskServer implements TaskListener {

    public static final String PATH = "/federation/v1/tasks";
    public static final int MAX_BODY = 1 << 20;
    private final HttpsServer server;
    private final ExecutorService executor;

    private HttpsTaskServer(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static HttpsTaskServer start(InetSocketAddress bind, SSLContext tls, TaskHandler handler)
            throws IOException {
        HttpsServer server = HttpsServer.create(bind, 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                p.setProtocols(new String[] {"TLSv1.3"});
                params.setSSLParameters(p);
            }
        });
        server.createContext(PATH, exchange -> {
            try (exchange) {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                X509Certificate[] chain;
                try {
                    Certificate[] peer = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
                    chain = Arrays.stream(peer).map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
                } catch (SSLPeerUnverifiedException e) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(MAX_BODY + 1);
                }
                if (body.length > MAX_BODY) {
                    exchange.sendResponseHeaders(413, -1);
                    return;
                }
                byte[] answer;
                try {
                    answer = handler.handle(body, chain);
                } catch (RuntimeException e) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/pkcs7-mime");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        });
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "federation-task-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new HttpsTaskServer(server, executor);
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
