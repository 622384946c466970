package org.twinbridge.federation.wire;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Collection;
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
import org.bouncycastle.util.Store;
import org.twinbridge.federation.identity.SiteIdentity;

/**
 * Tasks and results travel as CMS SignedData with the content encapsulated and the signer's certificate
 * included, so each site's audit trail can keep the exact bytes as proof of who asked for what and what left.
 * Stateless.
 */
public final class CmsEnvelope {

    private CmsEnvelope() {
    }

    /** The content and the certificate that signed it, after the signature checked out. */
    public record Opened(byte[] content, X509Certificate signer) {
    }

    /** A bad envelope: not CMS, not exactly one signer, or a signature that does not verify. */
    public static final class InvalidSignature extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSignature(String message) {
            super("TB-FED-006 " + message, null, false, false);
        }
    }

    public static byte[] sign(SiteIdentity identity, byte[] content) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build()).build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(identity.privateKeyForSigning()),
                    identity.certificate()));
            generator.addCertificates(new JcaCertStore(identity.chain()));
            return generator.generate(new CMSProcessableByteArray(content), true).getEncoded();
        } catch (CMSException | OperatorCreationException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("TB-FED-006 cannot sign (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    public static Opened open(byte[] envelope) throws InvalidSignature {
        try {
            CMSSignedData signed = new CMSSignedData(envelope);
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            if (signers.size() != 1 || signed.getSignedContent() == null) {
                throw new InvalidSignature("the envelope must have exactly one signer and carry its content");
            }
            SignerInformation signer = signers.iterator().next();
            @SuppressWarnings("unchecked")
            Store<X509CertificateHolder> certificates = signed.getCertificates();
            Collection<X509CertificateHolder> matches = certificates.getMatches(signer.getSID());
            if (matches.size() != 1) {
                throw new InvalidSignature("the envelope does not carry its signer's certificate");
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
            // Verified against the key only: whether the certificate is valid now is the trust store's decision, with
            // its own clear reason (TB-FED-004), not BouncyCastle's.
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate.getPublicKey()))) {
                throw new InvalidSignature("the signature does not verify");
            }
            return new Opened((byte[]) signed.getSignedContent().getContent(), certificate);
        } catch (CMSException | OperatorCreationException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidSignature("the envelope is not valid CMS SignedData (" + e.getClass().getSimpleName()
                    + ")");
        }
    }
}
