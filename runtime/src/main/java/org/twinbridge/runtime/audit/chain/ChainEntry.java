package org.twinbridge.runtime.audit.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the audit hash chain as stored. Its hash is
 * {@code SHA-256(prevHash || canonical form)}, where the canonical form covers every stored field, including
 * its position, so editing, moving or re-numbering any entry changes its hash.
 *
 * @param position    1 for the first entry, then one more for each
 * @param details     the event's details as canonical JSON ({@link CanonicalJson#object(Map)})
 * @param plugin      query column, repeated from details (may be null)
 * @param purpose     query column, repeated from details (may be null)
 * @param outcome     query column, repeated from details (may be null)
 * @param receipt     query column, repeated from details (may be null)
 * @param prevHash    the previous entry's hash, hex; 64 zeros for the first entry
 */
public record ChainEntry(long position, Instant recordedAt, String kind, String actor, String subject,
        String details, String plugin, String purpose, String outcome, String receipt, String prevHash) {

    /** The {@code prevHash} of position 1. */
    public static final String GENESIS = "0".repeat(64);

    public ChainEntry {
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(prevHash, "prevHash");
    }

    /** The canonical bytes that are hashed. */
    public byte[] canonical() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("v", "1");
        fields.put("pos", Long.toString(position));
        fields.put("at", recordedAt.toString());
        fields.put("kind", kind);
        fields.put("actor", actor);
        fields.put("subject", subject);
        fields.put("plugin", plugin);
        fields.put("purpose", purpose);
        fields.put("outcome", outcome);
        fields.put("receipt", receipt);
        return CanonicalJson.object(fields, Map.of("details", details)).getBytes(StandardCharsets.UTF_8);
    }

    /** SHA-256 over the previous hash (32 bytes) and the canonical form, hex. */
    public String hash() {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(HexFormat.of().parseHex(prevHash));
            sha256.update(canonical());
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        } catch (IllegalArgumentException e) {
            // A prev_hash that is not 64 hex digits was edited; it cannot match anything.
            return "invalid-prev-hash";
        }
    }
}
