package org.twinbridge.runtime.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP listener that accepts and counts connections: a hostile plugin's target, which must stay at zero. */
public final class CountingListener implements AutoCloseable {

    private final ServerSocket socket = new ServerSocket();
    private final AtomicInteger accepted = new AtomicInteger();

    /** Listens on an ephemeral port of {@code host} ({@code 0.0.0.0} for every interface). */
    public CountingListener(String host) throws IOException {
        socket.bind(new InetSocketAddress(host, 0));
        Thread t = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "counting-listener");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
