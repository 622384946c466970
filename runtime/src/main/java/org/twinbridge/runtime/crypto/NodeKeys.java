package org.twinbridge.runtime.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.PBEParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The node's keys, held in a PKCS#12 keystore whose password comes from the environment or a file. Every key
 * has an id {@code <family>-v<version>} (see {@link KeyFamily}); the highest version of a family is current.
 *
 * <p>This class hands out primitives, never key material: {@link #dataKeys()} (envelope encryption under the
 * current KEK), {@link #pseudonyms()}, {@link #identifierHashes()}, {@link #auditSigner()} and
 * {@link #auditVerifier()}. {@link #toString()} names the keystore only. The keystore file is written only by
 * {@link #init}, {@link #rotate} and {@link KeyRetirement}, each time whole and atomically.
 */
public final class NodeKeys {

    /** PBKDF2 iterations protecting each entry (PBEWithHmacSHA256AndAES_256). */
    static final int PBE_ITERATIONS = 100_000;
    private static final String ENTRY_PROTECTION = "PBEWithHmacSHA256AndAES_256";
    private static final Duration AUDIT_CERT_VALIDITY = Duration.ofDays(365L * 30);
    private static final Duration NODE_CERT_VALIDITY = Duration.ofDays(730);

    private final Path keystore;
    private final Map<KeyId, KeyInfo> infos;
    private final Map<KeyId, SecretKey> secrets;
    private final Map<KeyId, PrivateKey> privateKeys;
    private final Map<KeyId, X509Certificate> certificates;
    private final KeyEncryptionKeys keks;
    private final DataKeys dataKeys;

    private NodeKeys(Path keystore, Map<KeyId, KeyInfo> infos, Map<KeyId, SecretKey> secrets,
            Map<KeyId, PrivateKey> privateKeys, Map<KeyId, X509Certificate> certificates) {
        this.keystore = keystore;
        this.infos = Collections.unmodifiableMap(new TreeMap<>(infos));
        this.secrets = Map.copyOf(secrets);
        this.privateKeys = Map.copyOf(privateKeys);
        this.certificates = Map.copyOf(certificates);
        Map<KeyId, SecretKey> keks = new TreeMap<>();
        secrets.forEach((id, key) -> {
            if (id.family() == KeyFamily.KEK) {
                keks.put(id, key);
            }
        });
        this.keks = new KeyEncryptionKeys(keks, current(KeyFamily.KEK));
        this.dataKeys = new DataKeys(this.keks, Clock.systemUTC());
    }

    /**
     * Creates a new keystore holding version 1 of every key family. Refuses to overwrite an existing one.
     *
     * @param nodeId names the node in its certificates
     * @param clock  dates the keys and starts their certificates' validity
     */
    public static NodeKeys init(Path keystore, char[] password, String nodeId, Clock clock) throws KeyStoreFailure {
        if (Files.exists(keystore)) {
            throw new KeyStoreFailure("TB-KEYS-003", "keystore " + keystore + " already exists; refusing to "
                    + "overwrite it (that would make every stored record unreadable)");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            for (KeyFamily family : KeyFamily.values()) {
                add(store, new KeyId(family, 1), password, nodeId, clock.instant());
            }
            write(store, keystore, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyStoreFailure("TB-KEYS-004", "cannot create keystore " + keystore + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        return load(keystore, password);
    }

    /**
     * Adds the next version of a family to the keystore and makes it current for processes that load the
     * keystore afterwards. Old versions stay, so everything they protect stays readable.
     *
     * @return the new key
     */
    public static KeyInfo rotate(Path keystore, char[] password, KeyFamily family, String nodeId, Clock clock)
            throws KeyStoreFailure {
        if (!family.rotatable()) {
            throw new KeyStoreFailure("TB-KEYS-010", "key family '" + family.alias() + "' cannot be rotated: "
                    + family.description() + "; see docs/security.md (key lifecycle)");
        }
        KeyStore store = open(keystore, password);
        NodeKeys before = read(keystore, store, password);
        KeyId next = before.current(family).next();
        try {
            add(store, next, password, nodeId, clock.instant());
            write(store, keystore, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyStoreFailure("TB-KEYS-004", "cannot write keystore " + keystore + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        return load(keystore, password).info(next);
    }

    /** Loads every key; the password is not kept. */
    public static NodeKeys load(Path keystore, char[] password) throws KeyStoreFailure {
        return read(keystore, open(keystore, password), password);
    }

    static KeyStore open(Path keystore, char[] password) throws KeyStoreFailure {
        if (!Files.exists(keystore)) {
            throw new KeyStoreFailure("TB-KEYS-001", "keystore " + keystore
                    + " not found; create it with 'twinbridge keys init --config FILE'");
        }
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            // PKCS#12 reports a wrong password as an IOException wrapping UnrecoverableKeyException.
            throw new KeyStoreFailure("TB-KEYS-005", "cannot open keystore " + keystore
                    + ": wrong password or damaged file");
        } catch (GeneralSecurityException e) {
            throw new KeyStoreFailure("TB-KEYS-005", "cannot open keystore " + keystore + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static NodeKeys read(Path keystore, KeyStore store, char[] password) throws KeyStoreFailure {
        Map<KeyId, KeyInfo> infos = new TreeMap<>();
        Map<KeyId, SecretKey> secrets = new TreeMap<>();
        Map<KeyId, PrivateKey> privateKeys = new TreeMap<>();
        Map<KeyId, X509Certificate> certificates = new TreeMap<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                KeyId id = KeyId.parse(alias).orElseThrow(() -> new KeyStoreFailure("TB-KEYS-007", "keystore "
                        + keystore + " holds an entry '" + alias + "' this version does not know; a keystore made "
                        + "by a development build before key versioning cannot be used: create a new one with "
                        + "'twinbridge keys init' on a new data directory"));
                KeyStore.Entry entry = store.getEntry(alias, new KeyStore.PasswordProtection(password));
                Instant created = store.getCreationDate(alias).toInstant();
                if (entry instanceof KeyStore.SecretKeyEntry secret) {
                    secrets.put(id, secret.getSecretKey());
                    infos.put(id, new KeyInfo(id, id.family() == KeyFamily.KEK ? "AES-256" : "HMAC-SHA256 root",
                            created, false, Optional.empty()));
                } else if (entry instanceof KeyStore.PrivateKeyEntry pair
                        && pair.getCertificate() instanceof X509Certificate certificate) {
                    privateKeys.put(id, pair.getPrivateKey());
                    certificates.put(id, certificate);
                    infos.put(id, new KeyInfo(id, id.family() == KeyFamily.AUDIT_SIGNING ? "Ed25519" : "ECDSA P-256",
                            created, false, Optional.of(Certificates.describe(certificate))));
                } else {
                    throw new KeyStoreFailure("TB-KEYS-006", "keystore entry '" + alias + "' is not the kind of "
                            + "entry a " + id.family().alias() + " key must be");
                }
            }
        } catch (GeneralSecurityException e) {
            throw new KeyStoreFailure("TB-KEYS-005", "cannot read keystore " + keystore + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        for (KeyFamily family : KeyFamily.values()) {
            KeyId current = infos.keySet().stream().filter(id -> id.family() == family).max(KeyId::compareTo)
                    .orElseThrow(() -> new KeyStoreFailure("TB-KEYS-006", "keystore " + keystore + " has no "
                            + family.alias() + " key (" + family.description() + ")"));
            KeyInfo info = infos.get(current);
            infos.put(current, new KeyInfo(current, info.algorithm(), info.created(), true, info.certificate()));
        }
        return new NodeKeys(keystore, infos, secrets, privateKeys, certificates);
    }

    private static void add(KeyStore store, KeyId id, char[] password, String nodeId, Instant at)
            throws GeneralSecurityException {
        KeyStore.ProtectionParameter protection = new KeyStore.PasswordProtection(password, ENTRY_PROTECTION,
                new PBEParameterSpec(Crypto.randomBytes(16), PBE_ITERATIONS));
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        String subject = "CN=" + nodeId + " " + id + ",O=TwinBridge node";
        switch (id.family()) {
            case KEK -> store.setEntry(id.toString(),
                    new KeyStore.SecretKeyEntry(new SecretKeySpec(Crypto.randomBytes(32), "AES")), protection);
            case PSEUDONYM, LINK -> store.setEntry(id.toString(),
                    new KeyStore.SecretKeyEntry(new SecretKeySpec(Crypto.randomBytes(32), "HmacSHA256")), protection);
            case AUDIT_SIGNING -> {
                KeyPair pair = Certificates.ed25519();
                X509Certificate certificate = Certificates.selfSigned(pair, subject, now,
                        now.plus(AUDIT_CERT_VALIDITY), Certificates.Usage.AUDIT_SIGNING);
                store.setEntry(id.toString(), new KeyStore.PrivateKeyEntry(pair.getPrivate(),
                        new Certificate[] {certificate}), protection);
            }
            case NODE_IDENTITY -> {
                KeyPair pair = Certificates.ecP256();
                X509Certificate certificate = Certificates.selfSigned(pair, "CN=" + nodeId + ",O=TwinBridge node",
                        now, now.plus(NODE_CERT_VALIDITY), Certificates.Usage.NODE_IDENTITY);
                store.setEntry(id.toString(), new KeyStore.PrivateKeyEntry(pair.getPrivate(),
                        new Certificate[] {certificate}), protection);
            }
        }
    }

    /** Writes the whole keystore to a private temporary file beside it, then moves it into place. */
    static void write(KeyStore store, Path keystore, char[] password) throws GeneralSecurityException, IOException {
        Path parent = keystore.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".keys", ".tmp");
        try {
            trySetOwnerOnly(temp);
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                store.store(out, password);
            }
            Files.move(temp, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void trySetOwnerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: rely on the directory's permissions.
        }
    }

    /** Every key version, in family and version order: metadata only. */
    public List<KeyInfo> keys() {
        return List.copyOf(infos.values());
    }

    /** The current (highest) version of a family. */
    public KeyId current(KeyFamily family) {
        return infos.keySet().stream().filter(id -> id.family() == family).max(KeyId::compareTo).orElseThrow();
    }

    KeyInfo info(KeyId id) {
        return infos.get(id);
    }

    /**
     * Per-owner data keys (per patient, per plugin), wrapped by the current KEK, their rows stamped by the system
     * clock. A node's services use {@link #dataKeys(Clock)} with the node's clock.
     */
    public DataKeys dataKeys() {
        return dataKeys;
    }

    /** The same data keys, their rows stamped by {@code clock}. */
    public DataKeys dataKeys(Clock clock) {
        return new DataKeys(keks, clock);
    }

    /** Pseudonyms per recipient domain. */
    public Pseudonyms pseudonyms() {
        KeyId id = current(KeyFamily.PSEUDONYM);
        return new Pseudonyms(id, secrets.get(id).getEncoded(), "pseudonym");
    }

    /** Keyed hashing of patient identifiers for the patient index. */
    public Pseudonyms identifierHashes() {
        KeyId id = current(KeyFamily.LINK);
        return new Pseudonyms(id, secrets.get(id).getEncoded(), "patient-link");
    }

    /** Signs audit checkpoints with the current audit-signing key. */
    public AuditSigner auditSigner() {
        KeyId id = current(KeyFamily.AUDIT_SIGNING);
        return new AuditSigner(id, privateKeys.get(id));
    }

    /** Verifies checkpoint signatures made by any version of the audit-signing key. */
    public AuditSigner.Verifier auditVerifier() {
        Map<String, java.security.PublicKey> keys = new TreeMap<>();
        certificates.forEach((id, certificate) -> {
            if (id.family() == KeyFamily.AUDIT_SIGNING) {
                keys.put(id.toString(), certificate.getPublicKey());
            }
        });
        return new AuditSigner.Verifier(keys);
    }

    /** The node's current self-signed identity certificate (public). */
    public X509Certificate nodeCertificate() {
        return certificates.get(current(KeyFamily.NODE_IDENTITY));
    }

    /** Ids of the versions in the keystore, for messages and audit entries. */
    public List<String> keyIds() {
        List<String> ids = new ArrayList<>();
        infos.keySet().forEach(id -> ids.add(id.toString()));
        return ids;
    }

    @Override
    public String toString() {
        return "NodeKeys[" + keystore + ", " + infos.size() + " keys]";
    }

    /** The keystore is missing, unreadable or incomplete. The message names the file, never key material. */
    public static final class KeyStoreFailure extends Exception {
        private static final long serialVersionUID = 1L;

        public KeyStoreFailure(String code, String message) {
            super(code + " " + message);
        }
    }
}
