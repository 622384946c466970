package org.twinbridge.federation.identity;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Site certificates, made with BouncyCastle: a site's EC P-256 key with a certificate that is either self-signed or
 * issued by a federation CA, and a CA's own certificate. A site certificate's common name is the site name; its
 * subject alternative names are the host names and addresses it listens on (checked by TLS clients). Stateless.
 */
public final class Certificates {

    /** Site names: lower-case letters, digits and dashes, as node ids. */
    public static final Pattern SITE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    /** A fresh EC P-256 key pair. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is required by every Java platform", e);
        }
    }

    /** A self-signed site certificate, valid from {@code notBefore} for {@code validity}. */
    public static X509Certificate selfSigned(String site, KeyPair key, List<String> hosts, Instant notBefore,
            Duration validity) {
        X500Name name = siteName(site);
        return build(name, name, key.getPublic(), key.getPrivate(), hosts, notBefore, validity, false);
    }

    /** A site certificate issued by a federation CA. */
    public static X509Certificate issued(String site, PublicKey siteKey, List<String> hosts, PrivateKey caKey,
            X509Certificate caCertificate, Instant notBefore, Duration validity) {
        X500Name issuer = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
        return build(siteName(site), issuer, siteKey, caKey, hosts, notBefore, validity, false);
    }

    /** A federation CA's self-signed certificate (it signs site certificates only). */
    public static X509Certificate authority(String name, KeyPair key, Instant notBefore, Duration validity) {
        X500Name x500 = siteName(name);
        return build(x500, x500, key.getPublic(), key.getPrivate(), List.of(), notBefore, validity, true);
    }

    private static X500Name siteName(String site) {
        if (site == null || !SITE_NAME.matcher(site).matches()) {
            throw new IllegalArgumentException("TB-FED-001 site name '" + site + "' must be 2-63 lower-case letters, "
                    + "digits and dashes");
        }
        return new X500Name("CN=" + site + ",O=TwinBridge federation");
    }

    private static X509Certificate build(X500Name subject, X500Name issuer, PublicKey publicKey, PrivateKey signer,
            List<String> hosts, Instant notBefore, Duration validity, boolean ca) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(notBefore),
                    Date.from(notBefore.plus(validity)), subject, publicKey);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                if (!hosts.isEmpty()) {
                    GeneralName[] names = hosts.stream().map(h -> h.matches("[0-9.]+|.*:.*")
                            ? new GeneralName(GeneralName.iPAddress, h)
                            : new GeneralName(GeneralName.dNSName, h)).toArray(GeneralName[]::new);
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                }
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("TB-FED-002 cannot build a certificate (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    /** The certificate's common name: for a site certificate, the site name. */
    public static Optional<String> commonName(X509Certificate certificate) {
        try {
            RDN[] cn = new JcaX509CertificateHolder(certificate).getSubject().getRDNs(BCStyle.CN);
            return cn.length == 0 ? Optional.empty()
                    : Optional.of(IETFUtils.valueToString(cn[0].getFirst().getValue()));
        } catch (CertificateException e) {
            return Optional.empty();
        }
    }

    /** {@code sha256:<hex>} of the DER encoding: what operators compare out of band. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return "sha256:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    public static String pem(X509Certificate certificate) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    /** Reads every certificate of a PEM text. */
    public static List<X509Certificate> readPem(String text) throws CertificateException {
        java.security.cert.CertificateFactory factory = java.security.cert.CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new java.util.ArrayList<>();
        for (java.security.cert.Certificate c : factory.generateCertificates(
                new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new CertificateException("no certificate in the text");
        }
        return out;
    }
}
