package org.twinbridge.federation.transport;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.twinbridge.federation.identity.SiteIdentity;
import org.twinbridge.federation.identity.TrustDecision;
import org.twinbridge.federation.identity.TrustStore;
import org.twinbridge.sdk.error.FederationErrors;

/**
 * TLS 1.3 contexts for node-to-node traffic: this site's identity as the key, and this site's {@link TrustStore}
 * (not the JDK's CA list) deciding on the peer. A client context also checks that the server is the site it meant
 * to call (the certificate's common name), in place of a host-name check: sites are named by certificate, not by
 * DNS. Every refusal is passed to a listener, so the node can audit it; the handshake then fails.
 */
public final class MutualTls {

    private MutualTls() {
    }

    /**
     * @param expectedPeer for a client, the site it calls; empty for a server (any trusted site may connect)
     * @param refused      told of every refused certificate, with its reason
     */
    public static SSLContext context(SiteIdentity identity, TrustStore trust, Optional<String> expectedPeer,
            Consumer<TrustDecision.Untrusted> refused) throws GeneralSecurityException {
        char[] transientPassword = new char[] {'t', 'l', 's'};
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity.keyStore(transientPassword), transientPassword);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), new javax.net.ssl.TrustManager[] {
                new SiteTrustManager(trust, expectedPeer, refused)}, new SecureRandom());
        return context;
    }

    /** Decides with the site's trust store; never defers to the JDK's default CAs. */
    private static final class SiteTrustManager extends X509ExtendedTrustManager {
        private final TrustStore trust;
        private final Optional<String> expectedPeer;
        private final Consumer<TrustDecision.Untrusted> refused;

        SiteTrustManager(TrustStore trust, Optional<String> expectedPeer, Consumer<TrustDecision.Untrusted> refused) {
            this.trust = trust;
            this.expectedPeer = expectedPeer;
            this.refused = refused;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            TrustDecision decision = trust.check(chain);
            if (decision instanceof TrustDecision.Trusted trusted && expectedPeer.isPresent()
                    && !expectedPeer.get().equals(trusted.site())) {
                decision = new TrustDecision.Untrusted(FederationErrors.FED_003, "the server is site '"
                        + trusted.site() + "', not '" + expectedPeer.get() + "' as configured");
            }
            if (decision instanceof TrustDecision.Untrusted untrusted) {
                refused.accept(untrusted);
                throw new CertificateException(untrusted.message());
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
