package org.twinbridge.policy.enforcement;

import java.time.LocalDate;

/**
 * What the enforcement point needs from the node for one record and one recipient. Implementations hold the
 * recipient's key domain; they never expose keys.
 */
public interface EnforcementContext {

    /** A stable, keyed pseudonym for a value in the recipient's domain. */
    String pseudonym(String value);

    /** The pseudonymous form of a literal reference such as {@code Patient/123}. */
    ReferenceMapper references();

    /** This record's patient's date offset in days for the recipient, within ±{@code maxDays}. */
    int dateShiftDays(int maxDays);

    /** Today, for age calculations. */
    LocalDate today();

    /** The id the projected resource gets (its pseudonymous id). */
    String resourceId();
}
