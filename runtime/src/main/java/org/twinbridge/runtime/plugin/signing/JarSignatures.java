package org.twinbridge.runtime.plugin.signing;

import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.twinbridge.runtime.crypto.Certificates;
import org.twinbridge.runtime.crypto.Crypto;

/**
 * CMS (PKCS#7) detached signatures over whole plugin jars, made and checked with BouncyCastle (bcpkix). The
 * signature ({@code JAR.sig}, DER) carries the signer's certificate; trust comes only from the node's
 * {@link TrustStore}. Exactly one signer is accepted.
 */
public final class JarSignatures {

    private static final java.security.Provider BC = Crypto.bc();

    private JarSignatures() {
    }

    /** A detached signature over the jar's bytes, DER-encoded, including the signer certificate. */
    public static byte[] sign(byte[] jar, PrivateKey key, X509Certificate certificate) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build())
                    .build(new JcaContentSignerBuilder(Certificates.signatureAlgorithm(certificate.getPublicKey()))
                            .setProvider(BC).build(key), certificate));
            generator.addCertificates(new JcaCertStore(List.of(certificate)));
            return generator.generate(new CMSProcessableByteArray(jar), false).getEncoded("DER");
        } catch (OperatorCreationException | CMSException | CertificateException | java.io.IOException e) {
            throw new IllegalStateException("TB-SIGN-010 cannot sign: " + e.getClass().getSimpleName()
                    + " (is the key of type Ed25519, EC or RSA, and does it match the certificate?)");
        }
    }

    /** Checks the signature (if any) over the jar against the trust store, as of {@code now}. */
    public static SignatureCheck verify(byte[] jar, Optional<byte[]> signature, TrustStore trust, Instant now) {
        if (signature.isEmpty()) {
            return check(SignatureCheck.Status.UNSIGNED, null, "");
        }
        SignerInformation signer;
        X509Certificate certificate;
        try {
            CMSSignedData data = new CMSSignedData(new CMSProcessableByteArray(jar), signature.get());
            Collection<SignerInformation> signers = data.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return check(SignatureCheck.Status.MALFORMED, null, signers.size() + " signers; exactly one is needed");
            }
            signer = signers.iterator().next();
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = data.getCertificates().getMatches(signer.getSID());
            if (matches.isEmpty()) {
                return check(SignatureCheck.Status.MALFORMED, null, "the signature carries no signer certificate");
            }
            certificate = new JcaX509CertificateConverter().setProvider(BC).getCertificate(matches.iterator().next());
        } catch (CMSException | CertificateException | RuntimeException e) {
            return check(SignatureCheck.Status.MALFORMED, null, e.getClass().getSimpleName());
        }
        try {
            // Verified with the public key alone; validity is checked below against the trust store's rules.
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC)
                    .build(certificate.getPublicKey()))) {
                return check(SignatureCheck.Status.ALTERED, certificate, "");
            }
        } catch (CMSException | OperatorCreationException e) {
            return check(SignatureCheck.Status.ALTERED, certificate, "");
        }
        Optional<X509Certificate> anchor = trust.anchorFor(certificate);
        if (anchor.isPresent() && trust.isRevoked(certificate, anchor.get())) {
            return check(SignatureCheck.Status.REVOKED, certificate, "listed in the trust store's revocation list");
        }
        if (anchor.isEmpty()) {
            return check(SignatureCheck.Status.UNTRUSTED, certificate, "add the vendor's certificate to the trust store "
                    + "only if you trust the vendor");
        }
        for (X509Certificate c : anchor.get() == certificate ? List.of(certificate)
                : List.of(certificate, anchor.get())) {
            try {
                c.checkValidity(Date.from(now));
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                return check(SignatureCheck.Status.EXPIRED, certificate, c.getSubjectX500Principal().getName()
                        + " is valid from " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant());
            }
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && !usage[0]) {
            return check(SignatureCheck.Status.UNTRUSTED, certificate, "the certificate is not for digital signatures");
        }
        try {
            List<String> extended = certificate.getExtendedKeyUsage();
            if (extended != null && !extended.contains("1.3.6.1.5.5.7.3.3") && !extended.contains("2.5.29.37.0")) {
                return check(SignatureCheck.Status.UNTRUSTED, certificate, "the certificate is not for code signing");
            }
        } catch (CertificateException e) {
            return check(SignatureCheck.Status.MALFORMED, certificate, "unreadable extended key usage");
        }
        return check(SignatureCheck.Status.VALID, certificate, "");
    }

    private static SignatureCheck check(SignatureCheck.Status status, X509Certificate certificate, String detail) {
        return new SignatureCheck(status, Optional.ofNullable(certificate).map(Certificates::describe),
                Optional.ofNullable(certificate).map(Certificates::fingerprint), detail);
    }
}
