package org.twinbridge.federation.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A site's identity: its private key and certificate (with the issuing CA's, if any). The key never leaves this
 * object except to the TLS key manager and the CMS signer, through {@link #privateKeyForSigning()}.
 * {@link #toString()} prints the site and fingerprint only. Immutable.
 */
public final class SiteIdentity {

    static final String ALIAS = "site";
    private final String site;
    private final PrivateKey key;
    private final List<X509Certificate> chain;

    public SiteIdentity(PrivateKey key, List<X509Certificate> chain) {
        this.key = Objects.requireNonNull(key, "key");
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) {
            throw new IllegalArgumentException("an identity has a certificate");
        }
        this.site = Certificates.commonName(this.chain.get(0)).orElseThrow(() -> new IllegalArgumentException(
                "TB-FED-002 the identity certificate has no common name (site name)"));
    }

    public String site() {
        return site;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /** The private key, for the TLS key manager and the CMS signer only. */
    public PrivateKey privateKeyForSigning() {
        return key;
    }

    /** The identity as an in-memory PKCS#12 key store, for a TLS key manager. */
    public KeyStore keyStore(char[] password) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        store.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
        return store;
    }

    /** Writes the identity to a PKCS#12 file (owner-only permissions where the file system has them). */
    public void save(Path file, char[] password) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            keyStore(password).store(out, password);
        }
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's ACL applies
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads an identity written by {@link #save}.
     *
     * @throws IOException with {@code TB-FED-002} if the file is missing, the password is wrong or it holds no key
     */
    public static SiteIdentity load(Path file, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            if (!(store.getKey(ALIAS, password) instanceof PrivateKey key)) {
                throw new IOException("TB-FED-002 " + file + " holds no site key under alias '" + ALIAS + "'");
            }
            Certificate[] chain = store.getCertificateChain(ALIAS);
            return new SiteIdentity(key, Arrays.stream(chain).map(X509Certificate.class::cast).toList());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("TB-FED-002 site identity " + file + " not found; run 'twinbridge federation init'");
        } catch (GeneralSecurityException | IOException e) {
            if (e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith("TB-FED-")) {
                throw io;
            }
            throw new IOException("TB-FED-002 cannot open site identity " + file + " (wrong password or not a "
                    + "PKCS#12 file: " + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "SiteIdentity[site=" + site + ", certificate=" + Certificates.fingerprint(certificate()) + "]";
    }
}
