package org.twinbridge.runtime.plugin;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.Certificates;
import org.twinbridge.runtime.crypto.Crypto;
import org.twinbridge.runtime.plugin.signing.JarSignatures;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.runtime.testing.LogCapture;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.testplugins.RecorderTwin;

/** Signed plugins: only jars signed by a trusted, valid, unrevoked vendor certificate load when required. */
class PluginSignatureTest {

    @TempDir
    Path dir;

    private Path plugins() {
        return dir.resolve("plugins");
    }

    private Path trust() throws Exception {
        return Files.createDirectories(dir.resolve("trust"));
    }

    private Path jar() throws Exception {
        return PluginJars.write(plugins().resolve("recorder.jar"), RecorderTwin.ID, RecorderTwin.class);
    }

    private NodeConfig.Plugins required() throws Exception {
        return new NodeConfig.Plugins(plugins(), true, Optional.of(trust()), false);
    }

    private PluginHost load(NodeConfig.Plugins config) throws Exception {
        return PluginHost.load(config, dir.resolve("verified"), Map.of(), Clock.systemUTC());
    }

    @Test
    void signedByATrustedVendor_loads_fromTheVerifiedCopy() throws Exception {
        VendorKey vendor = PluginJars.vendor("Acme Twins");
        vendor.writeCertificate(trust().resolve("acme.pem"));
        vendor.sign(jar());

        try (PluginHost host = load(required())) {
            assertThat(host.refused()).isEmpty();
            assertThat(host.subscribers()).singleElement().satisfies(s -> {
                assertThat(s.id()).isEqualTo(RecorderTwin.ID);
                assertThat(s.model()).as("in a process of its own").isInstanceOf(
                        org.twinbridge.runtime.plugin.process.IsolatedTwinModel.class);
            });
            assertThat(dir.resolve("verified/isolated/recorder.jar")).as("the node's own copy of the checked bytes, "
                    + "which the plugin process loads").hasSameBinaryContentAs(plugins().resolve("recorder.jar"));
            assertThat(host.files()).singleElement().satisfies(f -> assertThat(f.signature().signer().orElseThrow())
                    .contains("CN=Acme Twins"));
        }
    }

    @Test
    void unsigned_isRefused_namingThePluginAndTheReason() throws Exception {
        jar();

        try (PluginHost host = load(required())) {
            assertThat(host.subscribers()).isEmpty();
            assertThat(host.refused()).singleElement().asString()
                    .startsWith("TB-PLUGIN-003 plugin recorder-twin (recorder.jar) refused: TB-SIGN-001");
        }
    }

    @Test
    void oneByteAlteredAfterSigning_isRefused_evenWhenSignaturesAreNotRequired() throws Exception {
        VendorKey vendor = PluginJars.vendor("Acme Twins");
        vendor.writeCertificate(trust().resolve("acme.pem"));
        Path jar = jar();
        vendor.sign(jar);
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(jar, bytes);

        try (PluginHost host = load(new NodeConfig.Plugins(plugins(), false, Optional.of(trust()), false))) {
            assertThat(host.subscribers()).isEmpty();
            assertThat(host.refused()).singleElement().asString().contains("recorder-twin").contains("TB-SIGN-002")
                    .contains("altered");
        }
    }

    @Test
    void signedByAVendorTheTrustStoreDoesNotHold_isRefused() throws Exception {
        PluginJars.vendor("Acme Twins").writeCertificate(trust().resolve("acme.pem"));
        PluginJars.vendor("Mallory Models").sign(jar());

        try (PluginHost host = load(required())) {
            assertThat(host.refused()).singleElement().asString().contains("TB-SIGN-003")
                    .contains("CN=Mallory Models");
        }
    }

    @Test
    void signedWithAnExpiredCertificate_isRefused() throws Exception {
        VendorKey old = VendorKey.generate("CN=Old Vendor", Instant.now().minus(Duration.ofDays(800)),
                Instant.now().minus(Duration.ofDays(1)));
        old.writeCertificate(trust().resolve("old.pem"));
        old.sign(jar());

        try (PluginHost host = load(required())) {
            assertThat(host.refused()).singleElement().asString().contains("TB-SIGN-004").contains("expired");
        }
    }

    @Test
    void signedWithACertificateListedInRevokedTxt_isRefused() throws Exception {
        VendorKey vendor = PluginJars.vendor("Acme Twins");
        vendor.writeCertificate(trust().resolve("acme.pem"));
        vendor.sign(jar());
        Files.writeString(trust().resolve("revoked.txt"), "# key leaked 2026-11-01\n"
                + Certificates.fingerprint(vendor.certificate()).toUpperCase() + "\n");

        try (PluginHost host = load(required())) {
            assertThat(host.refused()).singleElement().asString().contains("TB-SIGN-005").contains("revoked");
        }
    }

    @Test
    void signedByACertificateIssuedByATrustedCa_loads_untilTheCaRevokesItInACrl() throws Exception {
        KeyPair caKeys = Certificates.ed25519();
        X509Certificate ca = ca(caKeys);
        KeyPair vendorKeys = Certificates.ed25519();
        X509Certificate issued = issue(caKeys, ca, vendorKeys);
        Files.writeString(trust().resolve("ca.pem"), pem(ca));
        Path jar = jar();
        Files.write(VendorKey.signatureOf(jar), JarSignatures.sign(Files.readAllBytes(jar), vendorKeys.getPrivate(),
                issued));

        try (PluginHost host = load(required())) {
            assertThat(host.refused()).isEmpty();
            assertThat(host.subscribers()).hasSize(1);
        }
        Files.write(trust().resolve("ca.crl"), crl(caKeys, ca, issued.getSerialNumber()));
        try (PluginHost host = load(required())) {
            assertThat(host.refused()).singleElement().asString().contains("TB-SIGN-005");
        }
    }

    @Test
    void unsignedWhenSignaturesAreNotRequired_loadsWithAWarning() throws Exception {
        jar();

        try (LogCapture logs = LogCapture.start();
                PluginHost host = load(new NodeConfig.Plugins(plugins(), false, Optional.empty(), true))) {
            assertThat(host.subscribers()).hasSize(1);
            assertThat(logs.text()).contains("TB-PLUGIN-010").contains("recorder-twin").contains("not set");
        }
    }

    @Test
    void aJarSwappedInThePluginDirectoryAfterLoading_doesNotReachTheLoadedPlugin() throws Exception {
        VendorKey vendor = PluginJars.vendor("Acme Twins");
        vendor.writeCertificate(trust().resolve("acme.pem"));
        Path jar = jar();
        vendor.sign(jar);

        try (PluginHost host = load(required())) {
            Files.write(jar, new byte[] {'P', 'K', 0, 0});
            assertThat(host.subscribers().get(0).model().manifest().id()).isEqualTo(RecorderTwin.ID);
            assertThat(Files.size(dir.resolve("verified/isolated/recorder.jar"))).isGreaterThan(100);
        }
    }

    private static X509Certificate ca(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=Test Plugin CA");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(365))), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("Ed25519").setProvider(Crypto.bc()).build(keys.getPrivate())));
    }

    private static X509Certificate issue(KeyPair caKeys, X509Certificate ca, KeyPair subject) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(42), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), new javax.security.auth.x500.X500Principal("CN=Issued Vendor"),
                subject.getPublic());
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("Ed25519").setProvider(Crypto.bc()).build(caKeys.getPrivate())));
    }

    private static byte[] crl(KeyPair caKeys, X509Certificate ca, BigInteger serial) throws Exception {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new X500Name(ca.getSubjectX500Principal().getName()),
                new Date());
        builder.addCRLEntry(serial, new Date(), CRLReason.keyCompromise);
        return new JcaX509CRLConverter().getCRL(builder.build(new JcaContentSignerBuilder("Ed25519")
                .setProvider(Crypto.bc()).build(caKeys.getPrivate()))).getEncoded();
    }

    private static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

}
