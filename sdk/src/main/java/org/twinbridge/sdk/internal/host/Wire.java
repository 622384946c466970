package org.twinbridge.sdk.internal.host;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Framing and primitive encoding of the plugin-process protocol.
 *
 * <p>A frame is a 4-byte big-endian length followed by that many bytes; the first byte of a frame is its type.
 * Strings are a 4-byte length and UTF-8 bytes. A reader never trusts a length: a frame longer than the
 * reader's limit, a string or list longer than what is left of its frame, or trailing bytes are a
 * {@link ProtocolException}, so a hostile peer can make the reader fail but not allocate without bound.
 */
public final class Wire {

    /** The protocol version; both sides must speak exactly this one. */
    public static final int VERSION = 1;
    /** {@code TBPH}: first field of the hello frame, so that a child that prints garbage fails fast. */
    public static final int MAGIC = 0x54425048;

    /** Frame types. */
    public static final byte HELLO = 1;
    public static final byte BATCH = 2;
    public static final byte RESULT = 3;
    public static final byte FATAL = 4;
    public static final byte SHUTDOWN = 5;
    /** An aggregate plugin's one exchange: the task's authorised views in, the table (or its failure) out. */
    public static final byte AGGREGATE = 6;
    public static final byte AGGREGATE_RESULT = 7;

    private Wire() {
    }

    /** A peer broke the protocol: bad framing, an oversized frame, an unknown type or a malformed field. */
    public static class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        public ProtocolException(String message) {
            super(message);
        }
    }

    /** A frame announced as larger than the reader accepts (kept apart so the node can say "oversized"). */
    public static final class FrameTooLarge extends ProtocolException {
        private static final long serialVersionUID = 1L;

        public FrameTooLarge(String message) {
            super(message);
        }
    }

    /** Writes one frame and flushes. */
    public static void writeFrame(OutputStream out, byte[] frame) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(frame.length);
        data.write(frame);
        data.flush();
    }

    /**
     * Reads one frame.
     *
     * @param maxBytes the largest frame accepted
     * @throws EOFException      if the stream ends before a frame starts or in the middle of one
     * @throws ProtocolException if the announced length is negative or above {@code maxBytes}
     */
    public static byte[] readFrame(InputStream in, int maxBytes) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length = data.readInt();
        if (length > maxBytes) {
            throw new FrameTooLarge("TB-PLUGIN-031 frame of " + length + " bytes; the limit is " + maxBytes);
        }
        if (length < 1) {
            throw new ProtocolException("TB-PLUGIN-031 frame of " + length + " bytes; the limit is " + maxBytes);
        }
        byte[] frame = new byte[length];
        data.readFully(frame);
        return frame;
    }

    /** Builds a frame. Not thread-safe. */
    public static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(bytes);

        public Writer(byte type) {
            u8(type);
        }

        public Writer u8(int value) {
            try {
                out.writeByte(value);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        public Writer i32(int value) {
            try {
                out.writeInt(value);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        public Writer i64(long value) {
            try {
                out.writeLong(value);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        public Writer str(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            i32(utf8.length);
            try {
                out.write(utf8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        public int size() {
            return bytes.size();
        }

        public byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    /** Reads a frame's fields, checking every length against what is left. */
    public static final class Reader {
        private final ByteBuffer buffer;

        public Reader(byte[] frame) {
            this.buffer = ByteBuffer.wrap(frame);
        }

        public int u8() throws ProtocolException {
            need(1);
            return buffer.get() & 0xff;
        }

        public int i32() throws ProtocolException {
            need(4);
            return buffer.getInt();
        }

        public long i64() throws ProtocolException {
            need(8);
            return buffer.getLong();
        }

        public String str() throws ProtocolException {
            int length = i32();
            if (length < 0) {
                throw new ProtocolException("TB-PLUGIN-031 negative string length " + length);
            }
            need(length);
            String value = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
            buffer.position(buffer.position() + length);
            return value;
        }

        /** A list's element count; each element takes at least one byte, so a count cannot exceed the rest. */
        public int count() throws ProtocolException {
            int n = i32();
            if (n < 0 || n > buffer.remaining()) {
                throw new ProtocolException("TB-PLUGIN-031 list of " + n + " elements in " + buffer.remaining()
                        + " remaining bytes");
            }
            return n;
        }

        public void end() throws ProtocolException {
            if (buffer.hasRemaining()) {
                throw new ProtocolException("TB-PLUGIN-031 " + buffer.remaining() + " trailing bytes in a frame");
            }
        }

        private void need(int n) throws ProtocolException {
            if (buffer.remaining() < n) {
                throw new ProtocolException("TB-PLUGIN-031 frame ends early: " + n + " bytes needed, "
                        + buffer.remaining() + " left");
            }
        }
    }
}
