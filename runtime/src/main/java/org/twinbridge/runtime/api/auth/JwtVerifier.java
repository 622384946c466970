package org.twinbridge.runtime.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.twinbridge.runtime.api.Principal;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.config.NodeConfig;

/**
 * Checks bearer tokens from the configured OIDC issuer: the JWS signature against the issuer's JWKS (found through
 * its discovery document, cached, and fetched again when a token names an unknown key, at most twice per
 * {@link #REFRESH_INTERVAL}), only the configured asymmetric algorithms (so neither {@code alg: none} nor an HMAC
 * signature keyed with the public key passes), the exact {@code iss}, the configured {@code aud}, and {@code exp}
 * and {@code nbf} within the configured clock skew. Thread-safe.
 */
public final class JwtVerifier {

    /** How soon the JWKS may be fetched again after an unknown key. */
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(30);
    private static final Duration JWKS_TTL = Duration.ofMinutes(15);

    private final NodeConfig.Oidc oidc;
    private final Map<String, String> roleMapping;
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    /** @param roleMapping token role name to TwinBridge role name; unmapped names are taken as they are */
    public JwtVerifier(NodeConfig.Oidc oidc, Map<String, String> roleMapping) {
        this.oidc = oidc;
        this.roleMapping = Map.copyOf(roleMapping);
    }

    /** The principal the token authenticates. */
    public Principal verify(String token) throws TokenRejected {
        JWTClaimsSet claims;
        try {
            // Parse first: a malformed token is the caller's fault (401) even while the issuer is unreachable.
            com.nimbusds.jwt.JWT parsed = com.nimbusds.jwt.JWTParser.parse(token);
            claims = processor().process(parsed, null);
        } catch (ParseException e) {
            throw new TokenRejected("TB-API-040 the bearer token is not a JWT");
        } catch (RateLimitReachedException e) {
            throw new TokenRejected("TB-API-044 token rejected: it names a key the issuer does not publish (the "
                    + "issuer's keys were fetched again moments ago)");
        } catch (KeySourceException e) {
            throw TokenRejected.issuerUnavailable("TB-API-055 cannot fetch the issuer's signing keys ("
                    + e.getClass().getSimpleName() + ")");
        } catch (BadJOSEException | JOSEException e) {
            throw new TokenRejected("TB-API-041 token rejected: " + e.getMessage());
        }
        Object type = claims.getClaim("typ");
        if (type != null && !"Bearer".equals(type)) {
            throw new TokenRejected("TB-API-042 token rejected: a '" + type + "' token is not an access token");
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new TokenRejected("TB-API-043 token rejected: it has no subject (sub)");
        }
        return new Principal(claims.getSubject(), roles(claims));
    }

    private Set<Role> roles(JWTClaimsSet claims) {
        Set<String> names = new HashSet<>(rolesIn(claims.getClaim("realm_access")));
        Object resources = claims.getClaim("resource_access");
        if (resources instanceof Map<?, ?> map) {
            names.addAll(rolesIn(map.get(oidc.clientId())));
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            Role.byClaimName(roleMapping.getOrDefault(name, name)).ifPresent(roles::add);
        }
        return roles;
    }

    private static Set<String> rolesIn(Object access) {
        if (access instanceof Map<?, ?> map && map.get("roles") instanceof Collection<?> roles) {
            return roles.stream().filter(String.class::isInstance).map(String.class::cast).collect(Collectors.toSet());
        }
        return Set.of();
    }

    private DefaultJWTProcessor<SecurityContext> processor() throws TokenRejected {
        DefaultJWTProcessor<SecurityContext> current = processor;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (processor == null) {
                processor = build(OidcDiscovery.jwksUri(oidc.issuer()));
            }
            return processor;
        }
    }

    private DefaultJWTProcessor<SecurityContext> build(URI jwksUri) throws TokenRejected {
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL(),
                            new DefaultResourceRetriever(5000, 5000, 512 * 1024))
                    .cache(JWKS_TTL.toMillis(), Duration.ofSeconds(10).toMillis())
                    .rateLimited(REFRESH_INTERVAL.toMillis())
                    .retrying(false)
                    .outageTolerantForever()
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw TokenRejected.issuerUnavailable("TB-API-054 the issuer's jwks_uri is not a URL");
        }
        Set<JWSAlgorithm> algorithms = oidc.algorithms().stream().map(JWSAlgorithm::parse)
                .collect(Collectors.toSet());
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(oidc.audience(),
                new JWTClaimsSet.Builder().issuer(oidc.issuer().toString()).build(), Set.of("sub", "exp"));
        claims.setMaxClockSkew((int) oidc.clockSkew().toSeconds());
        p.setJWTClaimsSetVerifier(claims);
        return p;
    }
}
