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
}
