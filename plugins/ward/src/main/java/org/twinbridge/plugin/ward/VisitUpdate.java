package org.twinbridge.plugin.ward;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one version of an Encounter says about a hospital stay, as the HL7 v2 connector maps ADT: when the stay
 * began, the status changes it records (with their event times), where the patient arrived and when, wards seen
 * without a time (an update), and the discharge time.
 *
 * @param admitted    {@code Encounter.period.start}; identifies the stay among the patient's stays, if present
 * @param status      the Encounter's status as of this version
 * @param statusTimes status changes with the time they happened ({@code Encounter.statusHistory})
 * @param arrivals    wards the patient arrived on, with the arrival time (active locations with a start)
 * @param seenOn      wards the patient is on, without a time (active locations without a period)
 * @param discharged  {@code Encounter.period.end}, if present
 */
record VisitUpdate(Optional<Instant> admitted, String status, List<StatusAt> statusTimes, List<Arrival> arrivals,
        List<String> seenOn, Optional<Instant> discharged) {

    VisitUpdate {
        Objects.requireNonNull(admitted, "admitted");
        Objects.requireNonNull(status, "status");
        statusTimes = List.copyOf(statusTimes);
        arrivals = List.copyOf(arrivals);
        seenOn = List.copyOf(seenOn);
        Objects.requireNonNull(discharged, "discharged");
    }

    /** A status the stay took at a time. */
    record StatusAt(Instant at, String status) {
        StatusAt {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(status, "status");
        }
    }

    /** The patient arrived on a ward (its pseudonymous {@code Location/...} reference) at a time. */
    record Arrival(Instant at, String ward) {
        Arrival {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(ward, "ward");
        }
    }
}
