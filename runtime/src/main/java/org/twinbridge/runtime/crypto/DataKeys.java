package org.twinbridge.runtime.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption: one random AES-256-GCM data key per owner (each patient, each plugin), stored in the
 * {@code data_key} table wrapped (AES-256-GCM) by a key-encryption key from the keystore. The wrapped key is
 * bound to its key id and owner, so a wrapped key copied to another row fails to unwrap.
 *
 * <ul>
 *   <li>New data keys are wrapped by the current KEK; keys wrapped by an older KEK version stay readable while
 *       that version is in the keystore, and {@link #rewrap} moves them to the current one.</li>
 *   <li>{@link #destroy} forgets an owner's key (crypto-shredding): every ciphertext it made is unreadable.</li>
 *   <li>Nothing is cached: every use looks the key up in the caller's transaction, so a destroyed key is never
 *       used again, in this process or any other.</li>
 * </ul>
 *
 * Thread-safe. Runs in the caller's transaction.
 */
public final class DataKeys {

    private static final int KEY_BYTES = 32;
    private final KeyEncryptionKeys keks;
    private final Clock clock;

    /** @param clock stamps when data keys are created, re-wrapped and destroyed */
    DataKeys(KeyEncryptionKeys keks, Clock clock) {
        this.keks = keks;
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** The id of the KEK new data keys are wrapped with, e.g. {@code kek-v2}. */
    public String currentKek() {
        return keks.current().keyId();
    }

    /**
     * The owner's live data key, created on first use (in the caller's transaction, so it exists exactly when
     * the data it encrypts does). Store {@link RecordCipher#keyId()} next to each ciphertext.
     */
    public RecordCipher forWriting(Connection c, KeyOwner owner) throws SQLException {
        Optional<RecordCipher> live = live(c, owner);
        if (live.isPresent()) {
            return live.get();
        }
        String keyId = "dek-" + HexFormat.of().formatHex(Crypto.randomBytes(12));
        byte[] material = Crypto.randomBytes(KEY_BYTES);
        try {
            byte[] wrapped = keks.current().encrypt(material, wrappingData(keyId, owner.value()));
            Savepoint savepoint = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO data_key (key_id, owner, live_owner, "
                    + "kek_id, wrapped, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, keyId);
                ps.setString(2, owner.value());
                ps.setString(3, owner.value());
                ps.setString(4, keks.current().keyId());
                ps.setBytes(5, wrapped);
                ps.setTimestamp(6, now());
                ps.executeUpdate();
                c.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                // Another transaction created the owner's key first (unique live_owner): use that one.
                c.rollback(savepoint);
                return live(c, owner).orElseThrow(() -> e);
            }
            return new RecordCipher(keyId, new SecretKeySpec(material, "AES"));
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /**
     * The data key with this id, for decrypting.
     *
     * @throws KeyDestroyedException if the key was destroyed or does not exist
     */
    public RecordCipher forReading(Connection c, String keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT owner, kek_id, wrapped, destroyed_at FROM data_key WHERE key_id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new KeyDestroyedException(keyId, "TB-KEYS-020 data key " + keyId + " does not exist; "
                            + "the data it protected cannot be read");
                }
                byte[] wrapped = rs.getBytes(3);
                if (wrapped == null) {
                    throw new KeyDestroyedException(keyId, "TB-KEYS-020 data key " + keyId + " was destroyed at "
                            + rs.getTimestamp(4).toInstant() + " (crypto-shredded); the data it protected "
                            + "is unreadable");
                }
                return unwrap(keyId, rs.getString(1), rs.getString(2), wrapped);
            }
        }
    }

    private Optional<RecordCipher> live(Connection c, KeyOwner owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT key_id, kek_id, wrapped FROM data_key WHERE live_owner = ?")) {
            ps.setString(1, owner.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(unwrap(rs.getString(1), owner.value(), rs.getString(2), rs.getBytes(3)))
                        : Optional.empty();
            }
        }
    }

    private RecordCipher unwrap(String keyId, String owner, String kekId, byte[] wrapped) {
        RecordCipher kek = keks.byId(kekId).orElseThrow(() -> new IllegalStateException("TB-KEYS-021 data key "
                + keyId + " is wrapped by " + kekId + ", which this keystore does not hold (retired, or the keystore "
                + "is older than the database; after 'keys rotate' restart the node before re-wrapping)"));
        byte[] material = kek.decrypt(wrapped, wrappingData(keyId, owner));
        try {
            return new RecordCipher(keyId, new SecretKeySpec(material, "AES"));
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    private static String wrappingData(String keyId, String owner) {
        return "data-key|" + keyId + "|" + owner;
    }

    /**
     * Re-wraps up to {@code max} live data keys that are not wrapped by the current KEK. Idempotent and
     * resumable: progress is the table itself, so each call (each committed transaction) continues where the
     * last stopped. A key destroyed meanwhile stays destroyed.
     *
     * @return how many keys were re-wrapped; 0 when none is left
     */
    public int rewrap(Connection c, int max) throws SQLException {
        String current = keks.current().keyId();
        List<String[]> batch = new ArrayList<>();
        List<byte[]> wrappedKeys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key_id, owner, kek_id, wrapped FROM data_key "
                + "WHERE wrapped IS NOT NULL AND kek_id <> ? ORDER BY key_id")) {
            ps.setString(1, current);
            ps.setMaxRows(max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batch.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                    wrappedKeys.add(rs.getBytes(4));
                }
            }
        }
        int done = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE data_key SET kek_id = ?, wrapped = ?, rewrapped_at = ? "
                + "WHERE key_id = ? AND kek_id = ? AND wrapped IS NOT NULL")) {
            for (int i = 0; i < batch.size(); i++) {
                String[] row = batch.get(i);
                RecordCipher kek = keks.byId(row[2]).orElseThrow(() -> new IllegalStateException("TB-KEYS-021 "
                        + "data key " + row[0] + " is wrapped by " + row[2] + ", which this keystore does not hold"));
                byte[] material = kek.decrypt(wrappedKeys.get(i), wrappingData(row[0], row[1]));
                try {
                    ps.setString(1, current);
                    ps.setBytes(2, keks.current().encrypt(material, wrappingData(row[0], row[1])));
                    ps.setTimestamp(3, now());
                    ps.setString(4, row[0]);
                    ps.setString(5, row[2]);
                    done += ps.executeUpdate();
                } finally {
                    Arrays.fill(material, (byte) 0);
                }
            }
        }
        return done;
    }

    /**
     * Destroys the owner's live data key (crypto-shredding): the wrapped key is deleted, so nothing it encrypted
     * can be decrypted again. Needs no key material. Data written for the owner later gets a new key.
     *
     * @return the ids of the keys destroyed (empty if the owner had none)
     */
    public List<String> destroy(Connection c, KeyOwner owner) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key_id FROM data_key WHERE live_owner = ?")) {
            ps.setString(1, owner.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE data_key SET wrapped = NULL, live_owner = NULL, "
                + "destroyed_at = ? WHERE live_owner = ?")) {
            ps.setTimestamp(1, now());
            ps.setString(2, owner.value());
            ps.executeUpdate();
        }
        return ids;
    }

    /** Live data keys per KEK id that wraps them; needs no key material. */
    public static Map<String, Long> liveKeysByKek(Connection c) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT kek_id, COUNT(*) FROM data_key WHERE wrapped IS NOT NULL "
                + "GROUP BY kek_id ORDER BY kek_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /** Destroyed data keys per KEK id that wrapped them when they were destroyed; needs no key material. */
    public static Map<String, Long> destroyedKeysByKek(Connection c) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT kek_id, COUNT(*) FROM data_key WHERE wrapped IS NULL "
                + "GROUP BY kek_id ORDER BY kek_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    // A Timestamp, not an OffsetDateTime: the SQLite driver would store the latter as text it cannot read back.
    private java.sql.Timestamp now() {
        return java.sql.Timestamp.from(clock.instant());
    }

    @Override
    public String toString() {
        return "DataKeys[AES-256-GCM per owner, wrapped by " + keks.current().keyId() + "]";
    }
}
