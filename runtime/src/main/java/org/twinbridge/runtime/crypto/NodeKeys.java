package org.twinbridge.runtime.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The node's secret keys, held in a PKCS#12 keystore whose password comes from the environment or a file.
 *
 * <ul>
 *   <li>{@code journal-v1}: AES-256 key that encrypts journal payloads, plugin state and outputs;</li>
 *   <li>{@code pseudonym-v1}: HMAC-SHA256 root key for per-recipient pseudonyms;</li>
 *   <li>{@code link-v1}: HMAC-SHA256 key for the hashed patient identifiers of the patient index.</li>
 * </ul>
 *
 * {@link #toString()} names the keystore only. Raw key material leaves this class only through the
 * cipher and pseudonym objects built from it.
 */
public final class NodeKeys {

    static final String JOURNAL = "journal-v1";
    static final String PSEUDONYM = "pseudonym-v1";
    static final String LINK = "link-v1";

    private final Path keystore;
    private final SecretKey journalKey;
    private final SecretKey pseudonymKey;
    private final SecretKey linkKey;

    private NodeKeys(Path keystore, SecretKey journalKey, SecretKey pseudonymKey, SecretKey linkKey) {
        this.keystore = keystore;
        this.journalKey = journalKey;
        this.pseudonymKey = pseudonymKey;
        this.linkKey = linkKey;
    }

    /** Creates a new keystore with fresh random keys. Refuses to overwrite an existing one. */
    public static NodeKeys init(Path keystore, char[] password) throws KeyStoreFailure {
        if (Files.exists(keystore)) {
            throw new KeyStoreFailure("TB-KEYS-003", "keystore " + keystore + " already exists; refusing to "
                    + "overwrite it (that would make every stored record unreadable)");
        }
        SecureRandom random = new SecureRandom();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            KeyStore.ProtectionParameter protection = new KeyStore.PasswordProtection(password);
            for (String alias : new String[] {JOURNAL, PSEUDONYM, LINK}) {
                byte[] material = new byte[32];
                random.nextBytes(material);
                store.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(material, "AES")), protection);
            }
            Path parent = keystore.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".keys", ".tmp");
            trySetOwnerOnly(temp);
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                store.store(out, password);
            }
            Files.move(temp, keystore);
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyStoreFailure("TB-KEYS-004", "cannot create keystore " + keystore + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        return load(keystore, password);
    }

    /** Loads the keys; the password is not kept. */
    public static NodeKeys load(Path keystore, char[] password) throws KeyStoreFailure {
        if (!Files.exists(keystore)) {
            throw new KeyStoreFailure("TB-KEYS-001", "keystore " + keystore
                    + " not found; create it with 'twinbridge keys init --config FILE'");
        }
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return new NodeKeys(keystore, secret(store, JOURNAL, password), secret(store, PSEUDONYM, password),
                    secret(store, LINK, password));
        } catch (IOException e) {
            // PKCS#12 reports a wrong password as an IOException wrapping UnrecoverableKeyException.
            throw new KeyStoreFailure("TB-KEYS-005", "cannot open keystore " + keystore
                    + ": wrong password or damaged file");
        } catch (GeneralSecurityException e) {
            throw new KeyStoreFailure("TB-KEYS-005", "cannot open keystore " + keystore + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static SecretKey secret(KeyStore store, String alias, char[] password)
            throws GeneralSecurityException, KeyStoreFailure {
        KeyStore.Entry entry = store.getEntry(alias, new KeyStore.PasswordProtection(password));
        if (!(entry instanceof KeyStore.SecretKeyEntry secret)) {
            throw new KeyStoreFailure("TB-KEYS-006", "keystore has no secret key '" + alias + "'");
        }
        return secret.getSecretKey();
    }

    private static void trySetOwnerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: rely on the directory's permissions.
        }
    }

    /** The cipher for journal payloads, plugin state and outputs. */
    public RecordCipher recordCipher() {
        return new RecordCipher(JOURNAL, journalKey);
    }

    /** Pseudonyms per recipient domain. */
    public Pseudonyms pseudonyms() {
        return new Pseudonyms(pseudonymKey);
    }

    /** Keyed hashing of patient identifiers for the patient index. */
    public Pseudonyms identifierHashes() {
        return new Pseudonyms(linkKey);
    }

    @Override
    public String toString() {
        return "NodeKeys[" + keystore + "]";
    }

    /** The keystore is missing, unreadable or incomplete. The message names the file, never key material. */
    public static final class KeyStoreFailure extends Exception {
        private static final long serialVersionUID = 1L;

        public KeyStoreFailure(String code, String message) {
            super(code + " " + message);
        }
    }
}
