package org.twinbridge.connector.mqtt;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for the MQTT TLS tests, made with BouncyCastle in a test directory: a CA whose server
 * certificate Mosquitto presents (PEM files, as Mosquitto reads them) and whose client certificate the connector
 * presents (PKCS#12), and a second, rogue CA that nobody trusts, with its own client certificate.
 *
 * <p>The server certificate names DNS {@code localhost} only, not the IP 127.0.0.1: connecting to
 * {@code ssl://localhost:port} passes hostname verification, {@code ssl://127.0.0.1:port} fails it.
 */
final class TestPki {

    static final String PASSWORD = "tb-test-keystore-secret";
    private static final AtomicLong SERIAL = new AtomicLong(1);

    /** The CA certificate, PEM: Mosquitto's cafile and the connector's PEM trust store. */
    final Path caPem;
    /** The CA certificate in a PKCS#12 trust store (password {@link #PASSWORD}). */
    final Path trustStore;
    /** The rogue CA, PEM: a trust store that does not hold the broker's CA. */
    final Path rogueCaPem;
    final Path serverCertPem;
    final Path serverKeyPem;
    /** The client certificate issued by the CA, and its key, PKCS#12 (password {@link #PASSWORD}). */
    final Path clientKeyStore;
    /** A client certificate issued by the rogue CA, PKCS#12 (password {@link #PASSWORD}). */
    final Path rogueClientKeyStore;
    /** The password, in a file. */
    final Path passwordFile;

    private TestPki(Path dir) {
        caPem = dir.resolve("ca.pem");
        trustStore = dir.resolve("trust.p12");
        rogueCaPem = dir.resolve("rogue-ca.pem");
        serverCertPem = dir.resolve("server.pem");
        serverKeyPem = dir.resolve("server.key");
        clientKeyStore = dir.resolve("client.p12");
        rogueClientKeyStore = dir.resolve("rogue-client.p12");
        passwordFile = dir.resolve("keystore.pw");
    }

    static TestPki create(Path dir) throws Exception {
        TestPki pki = new TestPki(dir);
        KeyPair ca = keyPair();
        X509Certificate caCert = certificate("CN=TwinBridge MQTT Test CA", ca, "CN=TwinBridge MQTT Test CA", ca,
                true, null);
        KeyPair rogue = keyPair();
        X509Certificate rogueCert = certificate("CN=Rogue CA", rogue, "CN=Rogue CA", rogue, true, null);
        KeyPair server = keyPair();
        X509Certificate serverCert = certificate("CN=localhost", server, "CN=TwinBridge MQTT Test CA", ca, false,
                "localhost");
        KeyPair client = keyPair();
        X509Certificate clientCert = certificate("CN=twinbridge-node", client, "CN=TwinBridge MQTT Test CA", ca,
                false, null);
        KeyPair rogueClient = keyPair();
        X509Certificate rogueClientCert = certificate("CN=twinbridge-node", rogueClient, "CN=Rogue CA", rogue,
                false, null);

        Files.writeString(pki.caPem, pem("CERTIFICATE", caCert.getEncoded()));
        Files.writeString(pki.rogueCaPem, pem("CERTIFICATE", rogueCert.getEncoded()));
        Files.writeString(pki.serverCertPem, pem("CERTIFICATE", serverCert.getEncoded()));
        // The JDK encodes a private key as PKCS#8, which OpenSSL (and so Mosquitto) reads as "PRIVATE KEY".
        Files.writeString(pki.serverKeyPem, pem("PRIVATE KEY", server.getPrivate().getEncoded()));
        write(pki.trustStore, store(s -> s.setCertificateEntry("ca", caCert)));
        write(pki.clientKeyStore, store(s -> s.setKeyEntry("client", client.getPrivate(), PASSWORD.toCharArray(),
                new Certificate[] {clientCert, caCert})));
        write(pki.rogueClientKeyStore, store(s -> s.setKeyEntry("client", rogueClient.getPrivate(),
                PASSWORD.toCharArray(), new Certificate[] {rogueClientCert, rogueCert})));
        Files.writeString(pki.passwordFile, PASSWORD + "\n");
        return pki;
    }

    private interface Filler {
        void fill(KeyStore store) throws Exception;
    }

    private static KeyStore store(Filler filler) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        filler.fill(store);
        return store;
    }

    private static void write(Path file, KeyStore store) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer,
            KeyPair issuerKeys, boolean ca, String dnsName) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name(subject), subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        }
        if (dnsName != null) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }
}
