package org.twinbridge.federation.identity;

import java.util.Objects;
import org.twinbridge.sdk.error.FederationErrors;

/** Whether a peer's certificate is trusted, and as which site. */
public sealed interface TrustDecision permits TrustDecision.Trusted, TrustDecision.Untrusted {

    /** Trusted as {@code site} (its certificate's common name), pinned or through a CA. */
    record Trusted(String site, String fingerprint) implements TrustDecision {
        public Trusted {
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(fingerprint, "fingerprint");
        }
    }

    /** Not trusted; the reason names the certificate by subject and fingerprint, never anything else. */
    record Untrusted(FederationErrors code, String reason) implements TrustDecision {
        public Untrusted {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }

        public String message() {
            return code.code() + " " + reason;
        }
    }
}
