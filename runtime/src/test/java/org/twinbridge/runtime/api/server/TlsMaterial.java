package org.twinbridge.runtime.api.server;

import java.io.OutputStream;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for TLS tests, written as PKCS#12 files: a CA, a server certificate for IP 127.0.0.1 and a
 * client certificate, both issued by the CA, and a truststore holding the CA.
 */
final class TlsMaterial {

    static final String PASSWORD = "changeit";
    final Path serverKeystore;
    final Path clientKeystore;
    final Path truststore;
    final Path passwordFile;

    private TlsMaterial(Path dir) {
        this.serverKeystore = dir.resolve("server.p12");
        this.clientKeystore = dir.resolve("client.p12");
        this.truststore = dir.resolve("ca.p12");
        this.passwordFile = dir.resolve("tls.pw");
    }

    static TlsMaterial create(Path dir) throws Exception {
        TlsMaterial m = new TlsMaterial(dir);
        KeyPair ca = keyPair();
        X509Certificate caCert = certificate("CN=TwinBridge Test CA", ca, "CN=TwinBridge Test CA", ca, true, 1);
        KeyPair server = keyPair();
        X509Certificate serverCert = certificate("CN=127.0.0.1", server, "CN=TwinBridge Test CA", ca, false, 2);
        KeyPair client = keyPair();
        X509Certificate clientCert = certificate("CN=ops-client", client, "CN=TwinBridge Test CA", ca, false, 3);
        write(m.serverKeystore, store(s -> s.setKeyEntry("server", server.getPrivate(), PASSWORD.toCharArray(),
                new Certificate[] {serverCert, caCert})));
        write(m.clientKeystore, store(s -> s.setKeyEntry("client", client.getPrivate(), PASSWORD.toCharArray(),
                new Certificate[] {clientCert, caCert})));
        write(m.truststore, store(s -> s.setCertificateEntry("ca", caCert)));
        Files.writeString(m.passwordFile, PASSWORD + "\n");
        return m;
    }

    /** A client that trusts the test CA, presenting the client certificate when {@code withClientCertificate}. */
    HttpClient client(boolean withClientCertificate) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(truststore));
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = null;
        if (withClientCertificate) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(clientKeystore), PASSWORD.toCharArray());
        }
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(30)).build();
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

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void write(Path file, KeyStore store) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
            boolean ca, long serial) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(serial),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name(subject), subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }
}
