package org.twinbridge.runtime.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who calls: the token's {@code sub} (a stable user id, never a display name, so the audit names no one's
 * name) and the TwinBridge roles the token grants.
 */
public record Principal(String subject, Set<Role> roles) {
    public Principal {
        Objects.requireNonNull(subject, "subject");
        roles = Set.copyOf(roles);
    }

    /** The actor written to the audit trail. */
    public String auditActor() {
        return "user:" + subject;
    }
}
