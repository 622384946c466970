package org.twinbridge.runtime.api.auth;

/**
 * A bearer token that does not authenticate its holder. The message says why in terms that help an operator
 * (wrong audience, expired, unknown key) and never echoes the token.
 */
public final class TokenRejected extends Exception {

    private final boolean issuerUnavailable;

    public TokenRejected(String message) {
        this(message, false);
    }

    private TokenRejected(String message, boolean issuerUnavailable) {
        super(message, null, false, false);
        this.issuerUnavailable = issuerUnavailable;
    }

    /** The issuer's discovery document or keys could not be fetched: the token may be fine. */
    public static TokenRejected issuerUnavailable(String message) {
        return new TokenRejected(message, true);
    }

    public boolean issuerUnavailable() {
        return issuerUnavailable;
    }
}
