package org.twinbridge.federation.identity;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.twinbridge.sdk.error.FederationErrors;

/**
 * The peers a site trusts: certificates pinned one by one ({@code trust/peers/*.pem}), federation CAs whose
 * site certificates are all trusted ({@code trust/ca/*.pem}), and a revocation list ({@code trust/revoked.txt}:
 * one {@code sha256:<hex>} fingerprint or {@code serial:<hex>} per line, {@code #} comments). A certificate is
 * trusted if it is not revoked, is valid now, and is pinned or directly issued (and signed) by a trusted CA that is
 * itself valid and not revoked. A federation CA's revocation lists ({@code trust/crl/*.pem}, X.509 CRLs, see
 * {@link RevocationLists}) revoke the certificates they name as {@code revoked.txt} does; a list is accepted only
 * if a trusted CA signed it, and it still applies after its next-update time (a stale list never un-revokes).
 * Refusals carry TB-FED-003 (neither pinned nor CA-issued), TB-FED-004 (expired or
 * not yet valid) or TB-FED-005 (revoked). Immutable and thread-safe; reload to see changes.
 */
public final class TrustStore {

    public static final String PEERS = "peers";
    public static final String CAS = "ca";
    public static final String REVOKED = "revoked.txt";
    public static final String CRLS = "crl";

    private final List<X509Certificate> pinned;
    private final List<X509Certificate> authorities;
    private final Set<String> revoked;
    private final List<X509CRL> crls;
    private final Clock clock;

    public TrustStore(List<X509Certificate> pinned, List<X509Certificate> authorities, Set<String> revoked,
            Clock clock) {
        this(pinned, authorities, revoked, List.of(), clock);
    }

    /**
     * @param crls revocation lists, each signed by one of {@code authorities}
     * @throws IllegalArgumentException with TB-FED-020 if a list is not signed by a trusted CA
     */
    public TrustStore(List<X509Certificate> pinned, List<X509Certificate> authorities, Set<String> revoked,
            List<X509CRL> crls, Clock clock) {
        this.pinned = List.copyOf(pinned);
        this.authorities = List.copyOf(authorities);
        this.revoked = revoked.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        for (X509CRL crl : crls) {
            if (this.authorities.stream().noneMatch(ca -> RevocationLists.signedBy(crl, ca))) {
                throw new IllegalArgumentException("TB-FED-020 a revocation list from " + crl.getIssuerX500Principal()
                        + " is not signed by a trusted federation CA");
            }
        }
        this.crls = List.copyOf(crls);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads a trust directory; a missing one trusts nobody. */
    public static TrustStore load(Path dir, Clock clock) throws IOException {
        List<String> revoked = Files.exists(dir.resolve(REVOKED))
                ? Files.readAllLines(dir.resolve(REVOKED), StandardCharsets.UTF_8) : List.of();
        try {
            return new TrustStore(certificates(dir.resolve(PEERS)), certificates(dir.resolve(CAS)),
                    revoked.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                            .collect(Collectors.toSet()), crls(dir.resolve(CRLS)), clock);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + " (" + dir.resolve(CRLS) + ")");
        }
    }

    private static List<X509CRL> crls(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<X509CRL> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches(".*\\.(pem|crl)")).sorted().toList()) {
                try {
                    out.addAll(RevocationLists.read(Files.readAllBytes(f)));
                } catch (IOException e) {
                    throw new IOException(e.getMessage() + ": " + f);
                }
            }
        }
        return out;
    }

    private static List<X509Certificate> certificates(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<X509Certificate> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pem")).sorted().toList()) {
                try {
                    out.addAll(Certificates.readPem(Files.readString(f, StandardCharsets.US_ASCII)));
                } catch (CertificateException e) {
                    throw new IOException("TB-FED-020 " + f + " is not a PEM X.509 certificate");
                }
            }
        }
        return out;
    }

    /** Decides on a peer's chain as presented (its first certificate is the peer's own). */
    public TrustDecision check(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return new TrustDecision.Untrusted(FederationErrors.FED_003, "the peer presented no certificate");
        }
        X509Certificate leaf = chain[0];
        String fingerprint = Certificates.fingerprint(leaf);
        String who = "certificate CN=" + Certificates.commonName(leaf).orElse("?") + " " + fingerprint;
        if (isRevoked(leaf)) {
            return new TrustDecision.Untrusted(FederationErrors.FED_005, who + " is revoked");
        }
        try {
            leaf.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException e) {
            return new TrustDecision.Untrusted(FederationErrors.FED_004, who + " expired on "
                    + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            return new TrustDecision.Untrusted(FederationErrors.FED_004, who + " is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        String site = Certificates.commonName(leaf).orElse("");
        if (!Certificates.SITE_NAME.matcher(site).matches()) {
            return new TrustDecision.Untrusted(FederationErrors.FED_003, who + " does not name a site");
        }
        if (pinned.stream().anyMatch(p -> Certificates.fingerprint(p).equals(fingerprint))) {
            return new TrustDecision.Trusted(site, fingerprint);
        }
        for (X509Certificate ca : authorities) {
            if (issuedBy(leaf, ca)) {
                return new TrustDecision.Trusted(site, fingerprint);
            }
        }
        return new TrustDecision.Untrusted(FederationErrors.FED_003, who + " is neither pinned nor issued by a "
                + "trusted federation CA");
    }

    private boolean issuedBy(X509Certificate leaf, X509Certificate ca) {
        if (isRevoked(ca) || !leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            ca.checkValidity(Date.from(clock.instant()));
            leaf.verify(ca.getPublicKey());
            return ca.getBasicConstraints() >= 0;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private boolean isRevoked(X509Certificate c) {
        for (X509CRL crl : crls) {
            if (crl.getIssuerX500Principal().equals(c.getIssuerX500Principal()) && crl.isRevoked(c)) {
                return true;
            }
        }
        return revoked.contains(Certificates.fingerprint(c))
                || revoked.contains("serial:" + c.getSerialNumber().toString(16))
                || revoked.contains("serial:" + new BigInteger(1, c.getSerialNumber().toByteArray()).toString(16));
    }

    /** One trusted entry and its state now, for {@code federation peers}. */
    public record Entry(String kind, String name, String fingerprint, java.time.Instant notAfter, String state) {
    }

    /** Every pinned peer and CA, with its state: trusted, expired, not yet valid, or revoked. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        pinned.forEach(c -> out.add(entry("peer", c)));
        authorities.forEach(c -> out.add(entry("ca", c)));
        for (X509CRL crl : crls) {
            java.time.Instant next = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
            String issuer = authorities.stream().filter(ca -> RevocationLists.signedBy(crl, ca)).findFirst()
                    .flatMap(Certificates::commonName).orElse("?");
            out.add(new Entry("crl", issuer, RevocationLists.serials(crl).size() + " revoked", next,
                    next != null && next.isBefore(clock.instant()) ? "stale (still applied)" : "current"));
        }
        return out;
    }

    private Entry entry(String kind, X509Certificate c) {
        String state;
        if (isRevoked(c)) {
            state = "revoked";
        } else if (c.getNotAfter().toInstant().isBefore(clock.instant())) {
            state = "expired";
        } else if (c.getNotBefore().toInstant().isAfter(clock.instant())) {
            state = "not yet valid";
        } else {
            state = "trusted";
        }
        return new Entry(kind, Certificates.commonName(c).orElse("?"), Certificates.fingerprint(c),
                c.getNotAfter().toInstant(), state);
    }
}
