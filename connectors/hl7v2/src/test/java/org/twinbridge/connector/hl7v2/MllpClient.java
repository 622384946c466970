package org.twinbridge.connector.hl7v2;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import javax.net.SocketFactory;

/**
 * A minimal MLLP sender over a real socket: frames a message as 0x0B ... 0x1C 0x0D, and reads the reply frame.
 * Reads wait at most 30 s (a bound against hanging, not a timing expectation).
 */
final class MllpClient implements AutoCloseable {

    static final byte START = 0x0B;
    static final byte END = 0x1C;
    static final byte CR = 0x0D;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private MllpClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    static MllpClient connect(int port) throws IOException {
        return connect(SocketFactory.getDefault(), port);
    }

    static MllpClient connect(SocketFactory factory, int port) throws IOException {
        Socket socket = factory.createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        return new MllpClient(socket);
    }

    /** Waits up to this long for each read (default 30 s); for frames of many megabytes on a busy machine. */
    MllpClient patient(java.time.Duration readTimeout) throws IOException {
        socket.setSoTimeout((int) readTimeout.toMillis());
        return this;
    }

    /** Sends one framed message (UTF-8) and returns the acknowledgement. */
    String send(String message) throws IOException {
        return send(message, StandardCharsets.UTF_8);
    }

    String send(String message, Charset charset) throws IOException {
        sendFrame(message.getBytes(charset));
        return new String(readFrame(), charset);
    }

    /** Writes a complete frame around the bytes. */
    void sendFrame(byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(START);
        frame.write(payload);
        frame.write(END);
        frame.write(CR);
        sendRaw(frame.toByteArray());
    }

    /** Writes bytes as they are, framed or not. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one reply frame's payload. */
    byte[] readFrame() throws IOException {
        int b;
        while ((b = in.read()) != START) {
            if (b < 0) {
                throw new EOFException("connection closed before a reply frame");
            }
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        while (true) {
            b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a reply frame");
            }
            if (b == END) {
                int last = in.read();
                if (last != CR) {
                    throw new IOException("reply frame not terminated by 0x1C 0x0D");
                }
                return payload.toByteArray();
            }
            payload.write(b);
        }
    }

    /** Whether the server has closed (or reset) the connection: a read returns end of stream or fails. */
    boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
