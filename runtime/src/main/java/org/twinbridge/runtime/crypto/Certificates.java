package org.twinbridge.runtime.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key pairs and self-signed X.509 certificates, made with BouncyCastle (bcpkix), and the fingerprints by which
 * certificates are named in messages, trust stores and revocation lists. Holds no key material itself.
 */
public final class Certificates {

    /** What a certificate is for; sets its key usage and extended key usage. */
    public enum Usage {
        /** Signs TwinBridge audit checkpoints. */
        AUDIT_SIGNING,
        /** Identifies a node (TLS client and server, for federation). */
        NODE_IDENTITY,
        /** A plugin vendor's code-signing certificate. */
        CODE_SIGNING
    }

    private Certificates() {
    }

    /** A new Ed25519 key pair. */
    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", Crypto.bc()).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TB-CRYPTO-010 Ed25519 key generation unavailable", e);
        }
    }

    /** A new ECDSA key pair on P-256. */
    public static KeyPair ecP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.bc());
            generator.initialize(new ECGenParameterSpec("secp256r1"), Crypto.random());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TB-CRYPTO-010 P-256 key generation unavailable", e);
        }
    }

    /** The JCA signature algorithm for a key: Ed25519, SHA256withECDSA or SHA256withRSA. */
    public static String signatureAlgorithm(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("TB-CRYPTO-011 unsupported key algorithm '"
                    + key.getAlgorithm() + "'; use Ed25519, EC (P-256) or RSA");
        };
    }

    /**
     * A self-signed certificate for the key pair.
     *
     * @param subject an X.500 name such as {@code CN=st-marys audit-signing-v1,O=TwinBridge node}
     */
    public static X509Certificate selfSigned(KeyPair keys, String subject, Instant notBefore, Instant notAfter,
            Usage usage) {
        try {
            X500Principal name = new X500Principal(subject);
            BigInteger serial = new BigInteger(1, Crypto.randomBytes(16));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial, Date.from(notBefore),
                    Date.from(notAfter), name, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            switch (usage) {
                case AUDIT_SIGNING -> builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
                case NODE_IDENTITY -> {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                }
                case CODE_SIGNING -> {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    builder.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
                }
            }
            var signer = new JcaContentSignerBuilder(signatureAlgorithm(keys.getPublic())).setProvider(Crypto.bc())
                    .build(keys.getPrivate());
            return new JcaX509CertificateConverter().setProvider(Crypto.bc()).getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("TB-CRYPTO-012 cannot create a certificate for " + subject + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** SHA-256 over the DER encoding, lower-case hex without separators. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TB-CRYPTO-013 cannot fingerprint a certificate", e);
        }
    }

    /** Normalises a fingerprint as people write it (upper case, colons, spaces) for comparison. */
    public static String normaliseFingerprint(String text) {
        return text.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }

    /** One line naming a certificate: subject, fingerprint prefix, expiry. */
    public static String describe(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + " (sha256 " + fingerprint(certificate).substring(0, 16)
                + "..., expires " + certificate.getNotAfter().toInstant() + ")";
    }

    /** The DER encoding; certificates are public. */
    static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("TB-CRYPTO-013 cannot encode a certificate", e);
        }
    }
}
