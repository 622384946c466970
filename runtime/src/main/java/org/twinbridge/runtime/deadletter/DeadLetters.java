package org.twinbridge.runtime.deadletter;

import java.util.Objects;
import java.time.Clock;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.sdk.connector.DeadLetter;

/**
 * The dead-letter table: source messages that will never become records, with their reason (no content) and
 * their payload encrypted. An entry's identity is its connector plus a hash of its origin, reason code and
 * payload: a redelivery of the same rejected input (after a lost ack) counts up the entry's occurrences, while
 * each distinct rejected input, or the same bytes rejected for another reason, is an entry of its own with its
 * own reason. (The {@code payload_sha256} column holds that identity hash; its name predates the origin.)
 */
public final class DeadLetters {

    private final Clock clock;

    /** One entry, metadata only. */
    public record Entry(long seq, String connectorId, String reasonCode, String reason, int payloadBytes,
            int occurrences, Instant lastSeen) {
    }

    private final Database db;
    private final RecordCipher cipher;

    public DeadLetters(Database db, RecordCipher cipher, Clock clock) {
        this.db = db;
        this.cipher = cipher;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records a dead letter; returns only after the commit. */
    public void record(DeadLetter letter) throws SQLException {
        byte[] payload = letter.payload();
        String sha = identity(letter, payload);
        Timestamp now = Timestamp.from(clock.instant());
        db.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE dead_letter SET occurrences = occurrences + 1, "
                    + "last_seen_at = ? WHERE connector_id = ? AND payload_sha256 = ?")) {
                update.setTimestamp(1, now);
                update.setString(2, letter.connectorId());
                update.setString(3, sha);
                if (update.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO dead_letter (connector_id, payload_sha256, "
                    + "reason_code, reason, payload_bytes, occurrences, key_id, payload, first_seen_at, last_seen_at) "
                    + "VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)")) {
                insert.setString(1, letter.connectorId());
                insert.setString(2, sha);
                insert.setString(3, truncate(letter.reasonCode(), 32));
                insert.setString(4, truncate(letter.reason(), 1000));
                insert.setInt(5, payload.length);
                insert.setString(6, cipher.keyId());
                insert.setBytes(7, cipher.encrypt(payload, "dead-letter|" + letter.connectorId() + "|" + sha));
                insert.setTimestamp(8, now);
                insert.setTimestamp(9, now);
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** The newest entries first, metadata only. */
    public List<Entry> latest(int limit) throws SQLException {
        return db.inTransaction(c -> entries(c, "last_seen_at DESC, seq DESC", limit));
    }

    /** The oldest entries first, metadata only, in the caller's transaction. */
    public static List<Entry> oldest(java.sql.Connection c, int limit) throws SQLException {
        return entries(c, "seq", limit);
    }

    /** At most {@code limit} entries, metadata only, in this order (a constant ORDER BY list, never user input). */
    private static List<Entry> entries(java.sql.Connection c, String orderBy, int limit) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, connector_id, reason_code, reason, "
                + "payload_bytes, occurrences, last_seen_at FROM dead_letter ORDER BY " + orderBy)) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5), rs.getInt(6), rs.getTimestamp(7).toInstant()));
                }
            }
        }
        return entries;
    }

    /**
     * Deletes one entry (payload included) in the caller's transaction.
     *
     * @return false if there is no entry with that sequence number
     */
    public static boolean delete(java.sql.Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM dead_letter WHERE seq = ?")) {
            ps.setLong(1, seq);
            return ps.executeUpdate() == 1;
        }
    }

    /** One entry's metadata, in the caller's transaction. */
    public static java.util.Optional<Entry> find(java.sql.Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, connector_id, reason_code, reason, "
                + "payload_bytes, occurrences, last_seen_at FROM dead_letter WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getTimestamp(7).toInstant()))
                        : java.util.Optional.empty();
            }
        }
    }

    /** The hash that tells rejected inputs apart; length-prefixed parts, so no two splits hash alike. */
    static String identity(DeadLetter letter, byte[] payload) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (byte[] part : List.of(letter.origin().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    letter.reasonCode().getBytes(java.nio.charset.StandardCharsets.UTF_8), payload)) {
                sha.update(java.nio.ByteBuffer.allocate(4).putInt(part.length).array());
                sha.update(part);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
