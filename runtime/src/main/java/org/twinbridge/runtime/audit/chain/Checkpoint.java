package org.twinbridge.runtime.audit.chain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A signed statement by the node that the chain's entry at {@code position} has hash {@code entryHash}. Since
 * every entry's hash covers the one before it, the signature covers the whole chain up to that position.
 *
 * @param reason    {@code interval} (every N entries), {@code shutdown}, or {@code manual}
 * @param signature Ed25519 over {@link #signedBytes()}, base64
 */
public record Checkpoint(long position, String entryHash, String nodeId, String keyId, String reason,
        Instant signedAt, String signature) {

    public Checkpoint {
        Objects.requireNonNull(entryHash, "entryHash");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(signedAt, "signedAt");
        Objects.requireNonNull(signature, "signature");
    }

    /** What is signed: a versioned, line-separated statement of every field but the signature. */
    public byte[] signedBytes() {
        return signedBytes(position, entryHash, nodeId, keyId, reason, signedAt);
    }

    public static byte[] signedBytes(long position, String entryHash, String nodeId, String keyId, String reason,
            Instant signedAt) {
        return ("twinbridge-audit-checkpoint/v1\n" + nodeId + "\n" + position + "\n" + entryHash + "\n" + signedAt
                + "\n" + keyId + "\n" + reason).getBytes(StandardCharsets.UTF_8);
    }
}
