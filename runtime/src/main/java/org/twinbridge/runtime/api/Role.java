package org.twinbridge.runtime.api;

import java.util.Arrays;
import java.util.Optional;

/** The roles the admin API knows; docs/api.md has the table of which role may call what. */
public enum Role {
    PRIVACY_OFFICER("privacy-officer"),
    INTEGRATION_ADMIN("integration-admin"),
    AUDITOR("auditor"),
    CLINICIAN("clinician");

    private final String claimName;

    Role(String claimName) {
        this.claimName = claimName;
    }

    /** The role's name in tokens and in Keycloak. */
    public String claimName() {
        return claimName;
    }

    public static Optional<Role> byClaimName(String name) {
        return Arrays.stream(values()).filter(r -> r.claimName.equals(name)).findFirst();
    }
}
