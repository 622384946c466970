package org.twinbridge.runtime.api;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Signs access tokens as an OIDC issuer would, for tests that serve its keys from WireMock. */
final class Tokens {

    final RSAKey key;
    final String issuer;
    final String audience;

    Tokens(String kid, String issuer, String audience) {
        try {
            this.key = new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        this.issuer = issuer;
        this.audience = audience;
    }

    /** The public JWKS document of the given signers. */
    static String jwks(Tokens... signers) {
        return new JWKSet(java.util.Arrays.stream(signers).map(t -> (com.nimbusds.jose.jwk.JWK) t.key.toPublicJWK())
                .toList()).toString();
    }

    JWTClaimsSet.Builder claims(String subject, List<String> realmRoles) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).audience(List.of(audience, "account")).subject(subject)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(1)))
                .expirationTime(Date.from(now.plusSeconds(300))).claim("typ", "Bearer")
                .claim("preferred_username", "name-of-" + subject)
                .claim("realm_access", Map.of("roles", realmRoles));
    }

    String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String token(String subject, String... realmRoles) {
        return sign(claims(subject, List.of(realmRoles)).build());
    }
}
