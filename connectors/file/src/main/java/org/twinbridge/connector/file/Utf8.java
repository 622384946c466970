package org.twinbridge.connector.file;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.CharBuffer;
import org.twinbridge.connector.support.PayloadException;

/** Strict UTF-8 checking: a lenient decode would turn bad bytes into U+FFFD and store a corrupted record. */
final class Utf8 {

    private Utf8() {
    }

    /** Throws TB-FILE-005 naming the byte offset of the first byte that is not valid UTF-8. */
    static void check(byte[] content) throws PayloadException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(8192);
        CoderResult result;
        do {
            out.clear();
            result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new PayloadException("TB-FILE-005", "the file is not valid UTF-8 (byte offset "
                        + in.position() + "); save it as UTF-8");
            }
        } while (result.isOverflow());
        out.clear();
        if (decoder.flush(out).isError()) {
            throw new PayloadException("TB-FILE-005", "the file ends inside a UTF-8 sequence; save it as UTF-8");
        }
    }
}
