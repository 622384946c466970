package org.twinbridge.federation.wire;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.twinbridge.sdk.error.FederationErrors;

/**
 * Refuses tasks that are expired, from the future or too long-lived (TB-FED-007), or replayed (TB-FED-008). A nonce is remembered until its
 * task expires, so the memory is bounded by the tasks live at once; a replay after expiry is refused as expired.
 * Thread-safe.
 */
public final class ReplayGuard {

    /** Clock difference tolerated between sites. */
    public static final Duration SKEW = Duration.ofSeconds(60);
    /** The longest task lifetime a site accepts. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(15);

    private final Clock clock;
    private final Map<String, Instant> seen = new HashMap<>();

    public ReplayGuard(Clock clock) {
        this.clock = clock;
    }

    /** The refusal, with its code, or empty if the task may proceed (its nonce is then remembered). */
    public synchronized Optional<Refusal> admit(String requester, String nonce, Instant issuedAt, Instant expiresAt) {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().plus(SKEW).isBefore(now)) {
                it.remove();
            }
        }
        if (!expiresAt.plus(SKEW).isAfter(now)) {
            return Optional.of(new Refusal(FederationErrors.FED_007, "the task expired at " + expiresAt));
        }
        if (issuedAt.isAfter(now.plus(SKEW))) {
            return Optional.of(new Refusal(FederationErrors.FED_007, "the task was issued in the future ("
                    + issuedAt + ")"));
        }
        if (Duration.between(issuedAt, expiresAt).compareTo(MAX_LIFETIME) > 0 || expiresAt.isBefore(issuedAt)) {
            return Optional.of(new Refusal(FederationErrors.FED_007, "the task's lifetime exceeds "
                    + MAX_LIFETIME.toMinutes() + " minutes"));
        }
        String key = requester + "|" + nonce;
        if (seen.containsKey(key)) {
            return Optional.of(new Refusal(FederationErrors.FED_008, "nonce already used by " + requester));
        }
        seen.put(key, expiresAt);
        return Optional.empty();
    }

    public record Refusal(FederationErrors code, String reason) {
        public String message() {
            return code.code() + " " + reason;
        }
    }
}
