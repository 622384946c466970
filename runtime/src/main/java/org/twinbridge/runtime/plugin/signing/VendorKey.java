package org.twinbridge.runtime.plugin.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.twinbridge.runtime.crypto.Certificates;

/**
 * A plugin vendor's signing key and certificate. Vendors keep theirs in a PKCS#12 keystore
 * ({@link #fromKeystore}); the demo and tests generate one ({@link #generate}). {@link #toString()} names the
 * certificate only.
 */
public final class VendorKey {

    private final PrivateKey key;
    private final X509Certificate certificate;

    private VendorKey(PrivateKey key, X509Certificate certificate) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
    }

    /** A new Ed25519 key with a self-signed code-signing certificate. */
    public static VendorKey generate(String subject, Instant notBefore, Instant notAfter) {
        KeyPair pair = Certificates.ed25519();
        return new VendorKey(pair.getPrivate(), Certificates.selfSigned(pair, subject, notBefore, notAfter,
                Certificates.Usage.CODE_SIGNING));
    }

    /**
     * The private key entry {@code alias} of a PKCS#12 keystore, or its only one when no alias is given.
     *
     * @throws SigningKeyException if the keystore cannot be opened or the entry is not a private key
     */
    public static VendorKey fromKeystore(Path keystore, char[] password, Optional<String> alias)
            throws SigningKeyException {
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new SigningKeyException("TB-SIGN-011 cannot open signing keystore " + keystore
                    + ": wrong password, damaged file, or not PKCS#12");
        }
        try {
            List<String> keyAliases = new ArrayList<>();
            for (String a : Collections.list(store.aliases())) {
                if (store.isKeyEntry(a) && store.getCertificate(a) != null) {
                    keyAliases.add(a);
                }
            }
            String chosen = alias.orElseGet(() -> keyAliases.size() == 1 ? keyAliases.get(0) : null);
            if (chosen == null) {
                throw new SigningKeyException("TB-SIGN-012 signing keystore " + keystore + " holds " + keyAliases.size()
                        + " private keys " + keyAliases + "; choose one with --alias");
            }
            Key key = store.getKey(chosen, password);
            if (!(key instanceof PrivateKey privateKey) || !(store.getCertificate(chosen) instanceof X509Certificate cert)) {
                throw new SigningKeyException("TB-SIGN-015 entry '" + chosen + "' of " + keystore
                        + " is not a private key with a certificate; it holds " + keyAliases);
            }
            return new VendorKey(privateKey, cert);
        } catch (GeneralSecurityException e) {
            throw new SigningKeyException("TB-SIGN-011 cannot read the signing key from " + keystore + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Signs the jar: writes {@code JAR.sig} next to it and returns that path. */
    public Path sign(Path jar) throws IOException {
        byte[] signature = JarSignatures.sign(Files.readAllBytes(jar), key, certificate);
        Path sig = signatureOf(jar);
        Files.write(sig, signature);
        return sig;
    }

    /** Writes the certificate (public) as PEM, e.g. into a node's trust store directory. */
    public Path writeCertificate(Path pem) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.createDirectories(pem.toAbsolutePath().getParent());
            Files.writeString(pem, text.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pem;
    }

    /** Where a jar's detached signature lives: the jar's name plus {@code .sig}. */
    public static Path signatureOf(Path jar) {
        return jar.resolveSibling(jar.getFileName() + ".sig");
    }

    @Override
    public String toString() {
        return "VendorKey[" + Certificates.describe(certificate) + "]";
    }

    /** The signing keystore or key cannot be used. */
    public static final class SigningKeyException extends Exception {
        private static final long serialVersionUID = 1L;

        public SigningKeyException(String message) {
            super(message);
        }
    }
}
