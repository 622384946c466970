package org.twinbridge.runtime.audit.chain;

import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.twinbridge.runtime.crypto.AuditSigner;

/**
 * Checks a whole audit chain and its checkpoints, reporting the first position where it is broken. Entries
 * must be fed in position order. Detects:
 *
 * <ul>
 *   <li>an altered entry (its hash no longer matches its content);</li>
 *   <li>a deleted, inserted or reordered entry (a gap or repeat in positions, or a broken link to the previous
 *       hash);</li>
 *   <li>a rewritten and re-hashed stretch of the chain (it no longer matches a signed checkpoint);</li>
 *   <li>a forged or damaged checkpoint (its Ed25519 signature does not verify under the node's keys);</li>
 *   <li>entries deleted from the end up to a checkpoint.</li>
 * </ul>
 *
 * It cannot detect entries appended or removed after the last checkpoint by someone who can write the database
 * and recompute SHA-256; docs/security.md says how that window is kept small.
 */
public final class ChainVerifier {

    private final AuditSigner.Verifier keys;
    private final String nodeId;
    private final TreeMap<Long, Checkpoint> checkpoints = new TreeMap<>();

    public ChainVerifier(AuditSigner.Verifier keys, String nodeId, List<Checkpoint> checkpoints) {
        this.keys = keys;
        this.nodeId = nodeId;
        checkpoints.forEach(cp -> this.checkpoints.put(cp.position(), cp));
    }

    /**
     * A stored entry together with the hash stored next to it.
     *
     * @param storedHash the {@code entry_hash} column
     */
    public record Stored(ChainEntry entry, String storedHash) {
    }

    /** What verification found. {@code problem} is empty when the chain is intact. */
    public record Report(long entries, int checkpointsVerified, long lastCheckpoint, String headHash,
            Optional<Problem> problem) {

        public boolean intact() {
            return problem.isEmpty();
        }
    }

    /** The first thing wrong, at a chain position. */
    public record Problem(long position, String code, String message) {
        @Override
        public String toString() {
            return code + " position " + position + ": " + message;
        }
    }

    public Report verify(Iterator<Stored> entries) {
        long expected = 1;
        String running = ChainEntry.GENESIS;
        int verified = 0;
        long lastCheckpoint = 0;
        while (entries.hasNext()) {
            Stored stored = entries.next();
            ChainEntry entry = stored.entry();
            if (entry.position() != expected) {
                String what = entry.position() > expected
                        ? "entry " + expected + " is missing (deleted), the next entry found is " + entry.position()
                        : "entry " + entry.position() + " appears again after " + (expected - 1) + " (inserted or "
                                + "reordered)";
                return fail(expected - 1, verified, lastCheckpoint, running,
                        new Problem(expected, "TB-AUDIT-012", what));
            }
            if (!entry.prevHash().equals(running)) {
                return fail(expected - 1, verified, lastCheckpoint, running, new Problem(expected, "TB-AUDIT-013",
                        "entry does not link to the entry before it (an entry was removed, inserted or reordered "
                                + "before this position)"));
            }
            String computed = entry.hash();
            if (!computed.equals(stored.storedHash())) {
                return fail(expected - 1, verified, lastCheckpoint, running, new Problem(expected, "TB-AUDIT-011",
                        "entry was altered: its content does not match its hash"));
            }
            running = computed;
            Checkpoint checkpoint = checkpoints.get(expected);
            if (checkpoint != null) {
                Optional<Problem> bad = check(checkpoint, running);
                if (bad.isPresent()) {
                    return fail(expected, verified, lastCheckpoint, running, bad.get());
                }
                verified++;
                lastCheckpoint = expected;
            }
            expected++;
        }
        long head = expected - 1;
        Long beyond = checkpoints.higherKey(head);
        if (beyond != null) {
            return fail(head, verified, lastCheckpoint, running, new Problem(head + 1, "TB-AUDIT-017",
                    "the chain ends at position " + head + " but a checkpoint was signed at position " + beyond
                            + ": entries were deleted from the end"));
        }
        return new Report(head, verified, lastCheckpoint, running, Optional.empty());
    }

    private Optional<Problem> check(Checkpoint checkpoint, String hashAtPosition) {
        long pos = checkpoint.position();
        if (!checkpoint.nodeId().equals(nodeId)) {
            return Optional.of(new Problem(pos, "TB-AUDIT-016", "checkpoint was signed by node '"
                    + checkpoint.nodeId() + "', not by this node '" + nodeId + "'"));
        }
        if (!keys.keyIds().contains(checkpoint.keyId())) {
            return Optional.of(new Problem(pos, "TB-AUDIT-022", "checkpoint names signing key '" + checkpoint.keyId()
                    + "', which the keystore does not hold (it holds " + keys.keyIds() + ")"));
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(checkpoint.signature());
        } catch (IllegalArgumentException e) {
            signature = new byte[0];
        }
        if (!keys.verify(checkpoint.keyId(), checkpoint.signedBytes(), signature)) {
            return Optional.of(new Problem(pos, "TB-AUDIT-015", "checkpoint signature is not valid under "
                    + checkpoint.keyId() + " (checkpoint forged or altered)"));
        }
        if (!checkpoint.entryHash().equals(hashAtPosition)) {
            return Optional.of(new Problem(pos, "TB-AUDIT-014", "the chain does not match the checkpoint signed "
                    + "here: entries at or before this position were changed and the chain re-hashed"));
        }
        return Optional.empty();
    }

    private static Report fail(long entries, int verified, long lastCheckpoint, String running, Problem problem) {
        return new Report(entries, verified, lastCheckpoint, running, Optional.of(problem));
    }
}
