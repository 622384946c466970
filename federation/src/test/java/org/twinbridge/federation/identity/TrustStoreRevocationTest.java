package org.twinbridge.federation.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.sdk.error.FederationErrors;

/** A federation CA's revocation list reaches every site that trusts the CA; a list nobody trusted signed is refused. */
class TrustStoreRevocationTest {

    private static final Instant NOW = Instant.now();
    private final KeyPair caKey = Certificates.newKeyPair();
    private final X509Certificate ca = Certificates.authority("federation-ca", caKey, NOW.minusSeconds(60),
            Duration.ofDays(30));
    private final X509Certificate stMarys = site("st-marys");
    private final X509Certificate cityGeneral = site("city-general");

    @TempDir
    Path dir;

    private X509Certificate site(String name) {
        KeyPair key = Certificates.newKeyPair();
        return Certificates.issued(name, key.getPublic(), List.of("localhost"), caKey.getPrivate(), ca,
                NOW.minusSeconds(60), Duration.ofDays(10));
    }

    @Test
    void aCertificateTheCasListRevokes_isRefusedAsRevoked_andItsSiblingIsStillTrusted() throws IOException {
        X509CRL crl = RevocationLists.issue(ca, caKey.getPrivate(), Set.of(stMarys.getSerialNumber()), NOW,
                Duration.ofDays(7));
        writeTrust(crl);

        TrustStore trust = TrustStore.load(dir, Clock.systemUTC());

        assertThat(trust.check(new X509Certificate[] {stMarys})).isInstanceOfSatisfying(
                TrustDecision.Untrusted.class, u -> assertThat(u.code()).isEqualTo(FederationErrors.FED_005));
        assertThat(trust.check(new X509Certificate[] {cityGeneral})).isInstanceOf(TrustDecision.Trusted.class);
        assertThat(trust.entries()).anySatisfy(e -> assertThat(e.kind() + " " + e.name() + " " + e.fingerprint())
                .isEqualTo("crl federation-ca 1 revoked"));
    }

    @Test
    void aStaleList_stillRevokes() throws IOException {
        X509CRL crl = RevocationLists.issue(ca, caKey.getPrivate(), Set.of(stMarys.getSerialNumber()),
                NOW.minus(Duration.ofDays(20)), Duration.ofDays(7));
        writeTrust(crl);

        TrustStore trust = TrustStore.load(dir, Clock.systemUTC());

        assertThat(trust.check(new X509Certificate[] {stMarys})).isInstanceOf(TrustDecision.Untrusted.class);
        assertThat(trust.entries()).anySatisfy(e -> assertThat(e.state()).startsWith("stale"));
    }

    @Test
    void aListSignedByAnUntrustedKey_isRefusedAtLoad() throws IOException {
        KeyPair forger = Certificates.newKeyPair();
        X509Certificate forgedCa = Certificates.authority("federation-ca", forger, NOW.minusSeconds(60),
                Duration.ofDays(30));
        // A forger's list "revoking" a healthy site (denial of service) or naming the real CA as issuer.
        X509CRL forged = RevocationLists.issue(forgedCa, forger.getPrivate(), Set.of(cityGeneral.getSerialNumber()),
                NOW, Duration.ofDays(7));
        writeTrust(forged);

        assertThatThrownBy(() -> TrustStore.load(dir, Clock.systemUTC())).isInstanceOf(IOException.class)
                .hasMessageStartingWith("TB-FED-020").hasMessageContaining("not signed by a trusted federation CA");
        assertThatThrownBy(() -> new TrustStore(List.of(), List.of(ca), Set.of(), List.of(forged), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPinnedCertificate_isRevokedByItsIssuersList_too() throws IOException {
        X509CRL crl = RevocationLists.issue(ca, caKey.getPrivate(), Set.of(new BigInteger("1"),
                stMarys.getSerialNumber()), NOW, Duration.ofDays(7));
        TrustStore trust = new TrustStore(List.of(stMarys), List.of(ca), Set.of(), List.of(crl), Clock.systemUTC());

        assertThat(trust.check(new X509Certificate[] {stMarys})).isInstanceOf(TrustDecision.Untrusted.class);
        assertThat(RevocationLists.read(RevocationLists.pem(crl).getBytes())).hasSize(1)
                .allSatisfy(c -> assertThat(RevocationLists.serials(c)).contains(stMarys.getSerialNumber()));
    }

    private void writeTrust(X509CRL crl) throws IOException {
        Files.createDirectories(dir.resolve(TrustStore.CAS));
        Files.writeString(dir.resolve(TrustStore.CAS).resolve("federation-ca.pem"), Certificates.pem(ca));
        Files.createDirectories(dir.resolve(TrustStore.CRLS));
        Files.writeString(dir.resolve(TrustStore.CRLS).resolve("federation-ca.pem"), RevocationLists.pem(crl));
    }
}
