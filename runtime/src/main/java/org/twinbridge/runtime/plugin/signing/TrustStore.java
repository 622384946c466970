package org.twinbridge.runtime.plugin.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.twinbridge.runtime.crypto.Certificates;

/**
 * The node's trust store for plugin vendors: a directory holding
 *
 * <ul>
 *   <li>vendor certificates ({@code *.pem}, {@code *.crt}, {@code *.cer}, {@code *.der}; PEM or DER). A
 *       plugin is trusted if its signing certificate is one of them (pinned), or is issued by one of them that
 *       is a CA;</li>
 *   <li>{@code revoked.txt}: SHA-256 fingerprints of revoked certificates, one per line ({@code #} comments,
 *       colons and case ignored); revoking a CA revokes what it issued;</li>
 *   <li>{@code *.crl}: X.509 CRLs, honoured when signed by a CA in the store.</li>
 * </ul>
 *
 * Read once when loaded. Holds public material only.
 */
public final class TrustStore {

    private final Path dir;
    private final Map<String, X509Certificate> trusted;
    private final Set<String> revoked;
    private final List<X509CRL> crls;

    private TrustStore(Path dir, Map<String, X509Certificate> trusted, Set<String> revoked, List<X509CRL> crls) {
        this.dir = dir;
        this.trusted = Map.copyOf(trusted);
        this.revoked = Set.copyOf(revoked);
        this.crls = List.copyOf(crls);
    }

    /** A store that trusts nobody: every signature is at best UNTRUSTED. */
    public static TrustStore empty() {
        return new TrustStore(Path.of("(none)"), Map.of(), Set.of(), List.of());
    }

    /** Loads the directory; fails with {@code TB-SIGN-007} naming the file that cannot be read. */
    public static TrustStore load(Path dir) throws TrustStoreException {
        if (!Files.isDirectory(dir)) {
            throw new TrustStoreException("TB-SIGN-007 trust store " + dir + " is not a directory; it must hold the "
                    + "trusted vendor certificates (*.pem), and optionally revoked.txt and *.crl");
        }
        Map<String, X509Certificate> trusted = new LinkedHashMap<>();
        Set<String> revoked = new HashSet<>();
        List<X509CRL> crls = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new TrustStoreException("TB-SIGN-007 cannot list trust store " + dir);
        }
        for (Path file : files) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            try {
                if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer") || name.endsWith(".der")) {
                    try (InputStream in = Files.newInputStream(file)) {
                        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                            X509Certificate cert = (X509Certificate) c;
                            trusted.put(Certificates.fingerprint(cert), cert);
                        }
                    }
                } else if (name.equals("revoked.txt")) {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        String entry = line.replaceFirst("#.*", "").strip();
                        if (!entry.isEmpty()) {
                            revoked.add(Certificates.normaliseFingerprint(entry));
                        }
                    }
                } else if (name.endsWith(".crl")) {
                    try (InputStream in = Files.newInputStream(file)) {
                        for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                            crls.add((X509CRL) crl);
                        }
                    }
                }
            } catch (IOException | GeneralSecurityException | ClassCastException e) {
                throw new TrustStoreException("TB-SIGN-007 cannot read " + file + " in the trust store ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return new TrustStore(dir, trusted, revoked, crls);
    }

    /** The trusted certificate that vouches for {@code signer}: itself (pinned), or the CA that issued it. */
    Optional<X509Certificate> anchorFor(X509Certificate signer) {
        X509Certificate pinned = trusted.get(Certificates.fingerprint(signer));
        if (pinned != null) {
            return Optional.of(pinned);
        }
        for (X509Certificate ca : trusted.values()) {
            if (ca.getBasicConstraints() >= 0
                    && ca.getSubjectX500Principal().equals(signer.getIssuerX500Principal())) {
                try {
                    signer.verify(ca.getPublicKey());
                    return Optional.of(ca);
                } catch (GeneralSecurityException e) {
                    // Same name, other key: not the issuer.
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the certificate is revoked by fingerprint, or by a CRL of the CA that issued it. */
    boolean isRevoked(X509Certificate certificate, X509Certificate anchor) {
        if (revoked.contains(Certificates.fingerprint(certificate)) || revoked.contains(Certificates.fingerprint(anchor))) {
            return true;
        }
        for (X509CRL crl : crls) {
            if (crl.getIssuerX500Principal().equals(anchor.getSubjectX500Principal())) {
                try {
                    crl.verify(anchor.getPublicKey());
                    if (crl.isRevoked(certificate)) {
                        return true;
                    }
                } catch (GeneralSecurityException e) {
                    // A CRL not signed by the anchor says nothing about this certificate.
                }
            }
        }
        return false;
    }

    /** How many certificates the store trusts. */
    public int size() {
        return trusted.size();
    }

    @Override
    public String toString() {
        return "TrustStore[" + dir + ", " + trusted.size() + " certificate(s), " + revoked.size() + " revoked, "
                + crls.size() + " CRL(s)]";
    }

    /** The trust store cannot be read. */
    public static final class TrustStoreException extends Exception {
        private static final long serialVersionUID = 1L;

        public TrustStoreException(String message) {
            super(message);
        }
    }
}
