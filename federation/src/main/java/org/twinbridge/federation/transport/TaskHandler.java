package org.twinbridge.federation.transport;

import java.security.cert.X509Certificate;

/** What a site does with a task that arrived over mutual TLS. Implementations never throw for bad input. */
@FunctionalInterface
public interface TaskHandler {

    /**
     * @param body      the request body as received (a CMS-signed task), at most {@link HttpsTaskServer#MAX_BODY}
     * @param peerChain the TLS peer's certificate chain, already trusted by the handshake
     * @return the response body (a CMS-signed result)
     */
    byte[] handle(byte[] body, X509Certificate[] peerChain);
}
