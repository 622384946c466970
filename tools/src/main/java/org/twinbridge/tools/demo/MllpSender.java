package org.twinbridge.tools.demo;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A lab system's side of MLLP, as small as it gets: sends one message per frame (0x0B ... 0x1C 0x0D) and waits
 * for the acknowledgement frame. Used by the demo to replay HL7 v2 files into the node. Not thread-safe.
 */
public final class MllpSender implements AutoCloseable {

    private static final int START = 0x0B;
    private static final int END = 0x1C;
    private static final int CR = 0x0D;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private MllpSender(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects; reads give up after {@code timeout} without a reply. */
    public static MllpSender connect(String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return new MllpSender(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one message (UTF-8; segments separated by CR) and returns the acknowledgement's text. */
    public String send(String message) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(START);
        frame.write(message.getBytes(StandardCharsets.UTF_8));
        frame.write(END);
        frame.write(CR);
        out.write(frame.toByteArray());
        out.flush();
        int b;
        while ((b = in.read()) != START) {
            if (b < 0) {
                throw new EOFException("the node closed the connection without acknowledging");
            }
        }
        ByteArrayOutputStream ack = new ByteArrayOutputStream();
        while ((b = in.read()) != END) {
            if (b < 0) {
                throw new EOFException("the node closed the connection inside an acknowledgement");
            }
            ack.write(b);
        }
        in.read();
        return ack.toString(StandardCharsets.UTF_8);
    }

    /** MSA-1 of an acknowledgement (AA, AE, AR), or "" if it has none. */
    public static String ackCode(String ack) {
        for (String segment : ack.split("\r")) {
            if (segment.startsWith("MSA") && segment.length() >= 6) {
                return segment.substring(4, 6);
            }
        }
        return "";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
