package org.twinbridge.connector.hl7v2.internal.mapping;

/**
 * What an ADT message says happened to a visit, which decides the Encounter's status and where PV1-3 and PV1-6
 * go in {@code Encounter.location}. A cancellation names what it undoes, so a twin can tell a cancelled
 * transfer from a real one only by time and location; the status history carries the event time for that.
 */
enum VisitEvent {
    /** A01, A04: the patient arrives at PV1-3. */
    ADMIT,
    /** A02: the patient moves from PV1-6 to PV1-3. */
    TRANSFER,
    /** A03: the patient leaves PV1-3. */
    DISCHARGE,
    /** A08, and the PV1 of an A40: the visit as it now stands, with no movement. */
    UPDATE,
    /** A11: the admission was recorded in error; the Encounter is cancelled. */
    CANCEL_ADMIT,
    /** A12: the transfer to PV1-6 is undone; the patient is (back) at PV1-3. */
    CANCEL_TRANSFER,
    /** A13: the discharge is undone; the patient is at PV1-3 again. */
    CANCEL_DISCHARGE;

    static VisitEvent of(MessageType type) {
        return switch (type) {
            case ADT_A01, ADT_A04 -> ADMIT;
            case ADT_A02 -> TRANSFER;
            case ADT_A03 -> DISCHARGE;
            case ADT_A11 -> CANCEL_ADMIT;
            case ADT_A12 -> CANCEL_TRANSFER;
            case ADT_A13 -> CANCEL_DISCHARGE;
            case ADT_A08, ADT_A40, ORU_R01 -> UPDATE;
        };
    }
}
