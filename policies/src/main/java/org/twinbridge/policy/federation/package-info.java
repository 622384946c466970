/**
 * The federation part of a policy set: which requesting site may run which aggregate plugin for which purpose
 * here ({@link org.twinbridge.policy.federation.FederationRule}, default deny), and the disclosure-control
 * thresholds every release from this site must meet ({@link org.twinbridge.policy.federation.DisclosureSettings}).
 * Written by the site's privacy officer under {@code federation:} in one file of the policy directory.
 */
package org.twinbridge.policy.federation;
