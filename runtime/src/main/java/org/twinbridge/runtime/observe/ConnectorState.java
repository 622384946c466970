package org.twinbridge.runtime.observe;

/** A connector's health, as operators and the admin API see it. */
public enum ConnectorState {
    /** Working: no failure in the recent past. */
    UP,
    /** Working with problems: a failure streak that is not yet sustained, or failures or rejections recently. */
    DEGRADED,
    /** Not working: a sustained failure streak (several failures, or failing for a while, with no success). */
    DOWN,
    /** Paused by an operator: it neither accepts nor acknowledges source messages until resumed. */
    PAUSED
}
