package org.twinbridge.consent.jdbc;

/**
 * What storing one consent did.
 *
 * @param consentId {@code Consent/<id>}
 * @param version   the version now current
 * @param created   false if the consent was identical to its current version, so nothing was written
 * @param status    the consent's status code, e.g. {@code active}
 */
public record StoreOutcome(String consentId, int version, boolean created, String status) {
}
