package org.twinbridge.runtime.dispatch;

import org.twinbridge.policy.decision.Decision;

/**
 * A decision and, when consent was consulted, what it said (consent ids, versions and provisions, or the
 * default), for the decision log.
 *
 * @param consent null when no consent was consulted
 */
record Verdict(Decision decision, String consent) {
}
