package org.twinbridge.policy.decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The simplest real policy: an allow-list of resource types per recipient, read from the node configuration
 * ({@code policies.allow}). Anything not listed is denied. Purpose and labels are not evaluated here; the
 * policy engine replaces this point with rule sets that do.
 */
public final class AllowListDecisionPoint implements DecisionPoint {

    private final Map<String, Set<String>> allowed;
    private final String version;

    /** @param allowed recipient id to the resource types it may see */
    public AllowListDecisionPoint(Map<String, ? extends Iterable<String>> allowed) {
        Map<String, Set<String>> copy = new TreeMap<>();
        allowed.forEach((recipient, types) -> {
            Set<String> set = new TreeSet<>();
            types.forEach(set::add);
            copy.put(recipient, Set.copyOf(set));
        });
        this.allowed = Map.copyOf(copy);
        this.version = "allow-list:" + sha256(copy.toString()).substring(0, 16);
    }

    @Override
    public Decision decide(AccessRequest request) {
        Set<String> types = allowed.get(request.recipient());
        if (types == null) {
            return new Decision.Deny("no allow-list entry for recipient " + request.recipient(), List.of(), version);
        }
        if (!types.contains(request.resourceType())) {
            return new Decision.Deny(request.recipient() + " is not allowed resource type "
                    + request.resourceType(), List.of(), version);
        }
        return new Decision.Permit(List.of("allow:" + request.recipient() + ":" + request.resourceType()), version);
    }

    @Override
    public String policyVersion() {
        return version;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
