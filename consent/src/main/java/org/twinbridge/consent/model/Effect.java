package org.twinbridge.consent.model;

/** What a consent provision does to the accesses it matches (FHIR {@code consent-provision-type}). */
public enum Effect {
    PERMIT("permits"),
    DENY("denies");

    private final String verb;

    Effect(String verb) {
        this.verb = verb;
    }

    /** "permits" or "denies", for reasons. */
    public String verb() {
        return verb;
    }

    /** The other effect: a nested provision of the other type is an exception to its parent. */
    public Effect opposite() {
        return this == PERMIT ? DENY : PERMIT;
    }

    /** {@code permit} or {@code deny} (case-insensitive); anything else is not an effect. */
    public static Effect parse(String text) {
        if ("permit".equalsIgnoreCase(text)) {
            return PERMIT;
        }
        if ("deny".equalsIgnoreCase(text)) {
            return DENY;
        }
        throw new IllegalArgumentException("TB-CONSENT-030 '" + text + "' is not an effect; use permit or deny");
    }
}
