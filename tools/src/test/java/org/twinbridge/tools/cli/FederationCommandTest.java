package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.federation.identity.SiteIdentity;
import org.twinbridge.federation.identity.TrustDecision;
import org.twinbridge.federation.identity.TrustStore;

/** {@code federation init|trust|revoke|peers|submit}, run as hospital IT would, for two sites. */
class FederationCommandTest {

    @TempDir
    Path dir;

    private Path site(String name, boolean mayCoordinate) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("pw"), "federation password of " + name + "\n");
        Path config = home.resolve("twinbridge.yaml");
        Files.writeString(config, """
                node: { id: %s, data-dir: ./data }
                federation:
                  identity: { keystore: ./data/federation/identity.p12, password-file: ./pw }
                  may-coordinate: %s
                  peers: [ { site: city-general, url: "https://127.0.0.1:1" } ]
                """.formatted(name, mayCoordinate));
        return config;
    }

    @Test
    void init_trust_peers_revoke_asAnOperatorWould() throws Exception {
        Path stMarys = site("st-marys", false);
        Path city = site("city-general", false);

        CliRun init = CliRun.of("federation", "init", "-c", stMarys.toString(), "--host", "st-marys.example.org");
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out()).contains("Site st-marys", "Fingerprint", "sha256:");
        assertThat(CliRun.of("federation", "init", "-c", city.toString()).exitCode()).isZero();
        Path pem = dir.resolve("st-marys/data/federation/st-marys.pem");
        assertThat(pem).exists();

        CliRun again = CliRun.of("federation", "init", "-c", stMarys.toString());
        assertThat(again.exitCode()).isEqualTo(TwinBridgeCli.BAD_INPUT);
        assertThat(again.err()).contains("TB-FED-002", "--force");

        CliRun trust = CliRun.of("federation", "trust", "-c", city.toString(), pem.toString());
        assertThat(trust.exitCode()).as(trust.err()).isZero();
        CliRun peers = CliRun.of("federation", "peers", "-c", city.toString());
        assertThat(peers.out()).contains("st-marys").contains("trusted");

        SiteIdentity identity = SiteIdentity.load(dir.resolve("st-marys/data/federation/identity.p12"),
                "federation password of st-marys".toCharArray());
        TrustStore store = TrustStore.load(dir.resolve("city-general/data/federation/trust"), Clock.systemUTC());
        assertThat(store.check(new java.security.cert.X509Certificate[] {identity.certificate()}))
                .isInstanceOf(TrustDecision.Trusted.class);

        String fingerprint = org.twinbridge.federation.identity.Certificates.fingerprint(identity.certificate());
        assertThat(CliRun.of("federation", "revoke", "-c", city.toString(), fingerprint).exitCode()).isZero();
        assertThat(CliRun.of("federation", "peers", "-c", city.toString()).out()).contains("revoked");
        TrustStore reloaded = TrustStore.load(dir.resolve("city-general/data/federation/trust"), Clock.systemUTC());
        assertThat(reloaded.check(new java.security.cert.X509Certificate[] {identity.certificate()}))
                .isInstanceOfSatisfying(TrustDecision.Untrusted.class,
                        u -> assertThat(u.code().code()).isEqualTo("TB-FED-005"));
    }

    @Test
    void trustCrl_aFederationCasListRevokesItsSite_andAForgedListIsRefused() throws Exception {
        Path city = site("city-general", false);
        java.time.Instant now = java.time.Instant.now();
        java.security.KeyPair caKey = org.twinbridge.federation.identity.Certificates.newKeyPair();
        java.security.cert.X509Certificate ca = org.twinbridge.federation.identity.Certificates.authority(
                "regional-ca", caKey, now.minusSeconds(60), java.time.Duration.ofDays(30));
        java.security.cert.X509Certificate stMarys = org.twinbridge.federation.identity.Certificates.issued(
                "st-marys", org.twinbridge.federation.identity.Certificates.newKeyPair().getPublic(),
                java.util.List.of("localhost"), caKey.getPrivate(), ca, now.minusSeconds(60),
                java.time.Duration.ofDays(10));
        Path caPem = Files.writeString(dir.resolve("ca.pem"), org.twinbridge.federation.identity.Certificates.pem(ca));
        assertThat(CliRun.of("federation", "trust", "-c", city.toString(), "--ca", caPem.toString()).exitCode())
                .isZero();
        Path trustDir = dir.resolve("city-general/data/federation/trust");
        java.security.cert.X509Certificate[] chain = {stMarys};
        assertThat(TrustStore.load(trustDir, Clock.systemUTC()).check(chain)).isInstanceOf(TrustDecision.Trusted.class);

        Path crl = Files.writeString(dir.resolve("crl.pem"), org.twinbridge.federation.identity.RevocationLists.pem(
                org.twinbridge.federation.identity.RevocationLists.issue(ca, caKey.getPrivate(),
                        java.util.Set.of(stMarys.getSerialNumber()), now, java.time.Duration.ofDays(7))));
        CliRun added = CliRun.of("federation", "trust", "-c", city.toString(), "--crl", crl.toString());
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("regional-ca", "1 revoked");
        assertThat(CliRun.of("federation", "peers", "-c", city.toString()).out()).contains("crl", "regional-ca");
        assertThat(TrustStore.load(trustDir, Clock.systemUTC()).check(chain)).isInstanceOfSatisfying(
                TrustDecision.Untrusted.class, u -> assertThat(u.code().code()).isEqualTo("TB-FED-005"));

        // a list under the CA's name but signed by another key: refused, and the CA's real list stays
        java.security.KeyPair forger = org.twinbridge.federation.identity.Certificates.newKeyPair();
        java.security.cert.X509Certificate forgedCa = org.twinbridge.federation.identity.Certificates.authority(
                "regional-ca", forger, now.minusSeconds(60), java.time.Duration.ofDays(30));
        Path forged = Files.writeString(dir.resolve("forged.pem"), org.twinbridge.federation.identity.RevocationLists
                .pem(org.twinbridge.federation.identity.RevocationLists.issue(forgedCa, forger.getPrivate(),
                        java.util.Set.of(), now, java.time.Duration.ofDays(7))));
        CliRun refused = CliRun.of("federation", "trust", "-c", city.toString(), "--crl", forged.toString());
        assertThat(refused.exitCode()).isEqualTo(TwinBridgeCli.BAD_INPUT);
        assertThat(refused.err()).contains("TB-FED-020", "not signed by a trusted federation CA");
        assertThat(TrustStore.load(trustDir, Clock.systemUTC()).check(chain)).isInstanceOf(TrustDecision.Untrusted.class);
    }

    @Test
    void trust_refusesAFileThatIsNotACertificate() throws Exception {
        Path city = site("city-general", false);
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        CliRun run = CliRun.of("federation", "trust", "-c", city.toString(), junk.toString());
        assertThat(run.exitCode()).isEqualTo(TwinBridgeCli.BAD_INPUT);
        assertThat(run.err()).contains("TB-FED-020");
    }

    @Test
    void submit_refusesOnANodeThatMayNotCoordinate() throws Exception {
        Path city = site("city-general", false);
        CliRun run = CliRun.of("federation", "submit", "-c", city.toString(), "--plugin", "tumour-twin");
        assertThat(run.exitCode()).isEqualTo(TwinBridgeCli.BAD_INPUT);
        assertThat(run.err()).contains("TB-FED-019");
    }

    @Test
    void submit_toADownPeer_reportsItFailed() throws Exception {
        Path coordinator = site("trial-coordinator", true);
        assertThat(CliRun.of("federation", "init", "-c", coordinator.toString()).exitCode()).isZero();
        CliRun run = CliRun.of("federation", "submit", "-c", coordinator.toString(), "--plugin", "tumour-twin",
                "--timeout", "5");
        assertThat(run.exitCode()).isEqualTo(TwinBridgeCli.RUNTIME_FAILURE);
        assertThat(run.out()).contains("city-general", "failed", "TB-FED-016");
    }
}
