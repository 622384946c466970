package org.twinbridge.consent.evaluation;

/**
 * Whether one condition of a provision holds for a request. {@link #UNKNOWN} is for what this node cannot
 * tell (a code system it does not understand, a record without a clinical time, a custodian that is not
 * configured). A provision whose conditions are unknown is assumed to apply when it denies and not to apply
 * when it permits, so that what cannot be evaluated never grants access.
 */
public enum Match {
    MATCH,
    NO_MATCH,
    UNKNOWN;

    /** Both must hold: any NO_MATCH wins, then any UNKNOWN. */
    public Match and(Match other) {
        if (this == NO_MATCH || other == NO_MATCH) {
            return NO_MATCH;
        }
        return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : MATCH;
    }

    /** Either may hold: any MATCH wins, then any UNKNOWN. */
    public Match or(Match other) {
        if (this == MATCH || other == MATCH) {
            return MATCH;
        }
        return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : NO_MATCH;
    }
}
