package org.twinbridge.connector.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The signed JWT a SMART Backend Services client presents to the token endpoint (RFC 7523 client
 * authentication, as profiled by SMART App Launch 2 §"Backend Services"): {@code iss} and {@code sub} are the
 * client id, {@code aud} the token endpoint, {@code exp} at most five minutes ahead, {@code jti} unique.
 *
 * <p>Ours on purpose: HAPI FHIR's client has no JWT support and no SMART Backend Services flow, and a compact JWS
 * is two base64url JSON objects and one signature, which the JDK's {@link java.security.Signature} makes (RS384,
 * ES384 in the P1363 form JWS wants; see {@link SigningKey}). A JOSE library (Nimbus, jose4j) would be a new
 * dependency with its own JSON stack for these few lines, and would still leave the key handling to us.
 */
final class ClientAssertion {

    /** How long an assertion is valid; SMART allows at most five minutes. */
    static final Duration LIFETIME = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private ClientAssertion() {
    }

    /** A compact JWS, signed with {@code key}, issued at {@code now}. */
    static String create(String clientId, String tokenUrl, SigningKey key, Instant now)
            throws GeneralSecurityException {
        ObjectNode header = JSON.createObjectNode().put("alg", key.algorithm()).put("typ", "JWT")
                .put("kid", key.keyId());
        ObjectNode claims = JSON.createObjectNode().put("iss", clientId).put("sub", clientId).put("aud", tokenUrl)
                .put("iat", now.getEpochSecond()).put("exp", now.plus(LIFETIME).getEpochSecond())
                .put("jti", UUID.randomUUID().toString());
        String signingInput = encode(header) + "." + encode(claims);
        byte[] signature = key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64URL.encodeToString(signature);
    }

    private static String encode(ObjectNode json) {
        return B64URL.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
