package org.twinbridge.federation.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * X.509 certificate revocation lists a federation CA issues, so that revoking a site's certificate reaches every
 * site that trusts the CA: the CA's holder issues a new list ({@code federation crl}), and each site adds it to its
 * trust directory ({@code federation trust --crl}). A list is honoured only if a trusted CA signed it. Stateless.
 */
public final class RevocationLists {

    private static final String SIGNATURE = "SHA256withECDSA";

    private RevocationLists() {
    }

    /** A list signed by the CA, revoking {@code serials}, valid from {@code thisUpdate} for {@code validity}. */
    public static X509CRL issue(X509Certificate ca, PrivateKey caKey, Set<BigInteger> serials, Instant thisUpdate,
            Duration validity) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(new JcaX509CertificateHolder(ca).getSubject(),
                    Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(thisUpdate.plus(validity)));
            for (BigInteger serial : new TreeSet<>(serials)) {
                builder.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(builder.build(new JcaContentSignerBuilder(SIGNATURE)
                    .build(caKey)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("TB-FED-002 cannot issue a revocation list ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** The serials a list revokes. */
    public static Set<BigInteger> serials(X509CRL crl) {
        Set<BigInteger> out = new TreeSet<>();
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        if (entries != null) {
            entries.forEach(e -> out.add(e.getSerialNumber()));
        }
        return out;
    }

    /** True if {@code ca} signed the list (same name, valid signature by its key). */
    public static boolean signedBy(X509CRL crl, X509Certificate ca) {
        if (!crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            crl.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static String pem(X509CRL crl) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(crl);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    /** Reads every revocation list of a PEM (or DER) text. */
    public static List<X509CRL> read(byte[] encoded) throws IOException {
        try {
            Collection<? extends CRL> crls = CertificateFactory.getInstance("X.509")
                    .generateCRLs(new ByteArrayInputStream(encoded));
            List<X509CRL> out = new ArrayList<>();
            crls.forEach(c -> out.add((X509CRL) c));
            if (out.isEmpty()) {
                throw new IOException("TB-FED-020 no revocation list in the file");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IOException("TB-FED-020 not an X.509 revocation list (PEM or DER)");
        }
    }

    static List<X509CRL> read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.US_ASCII));
    }
}
