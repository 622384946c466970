package org.twinbridge.plugin.ward;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the twin has heard about one hospital stay, merged from every version of its Encounter in whatever
 * order they arrived. The stay's course is recomputed from these facts each time, so a late message lands in its
 * place in time instead of overwriting a newer one.
 *
 * <p>The rules: the status with the latest event time wins (a cancelled discharge, A13, reopens the stay; a
 * cancelled admission, A11, removes it altogether); without timed statuses, the last version received decides.
 * The patient is on the ward of the latest arrival at or before a time; an arrival on the ward the patient is
 * already on is no move. A stay whose only location came without a time (an update) is placed there from
 * admission.
 *
 * @param admitted     when the stay began, if known
 * @param statusTimes  timed status changes, in time order, without duplicates
 * @param lastStatus   the status of the version received last
 * @param arrivals     timed arrivals, in time order, without duplicates
 * @param seenOn       wards seen without a time, in the order first seen
 * @param discharged   the latest {@code period.end} heard, if any
 */
record Episode(Optional<Instant> admitted, List<VisitUpdate.StatusAt> statusTimes, String lastStatus,
        List<VisitUpdate.Arrival> arrivals, List<String> seenOn, Optional<Instant> discharged) {

    static final String CANCELLED = "cancelled";
    static final String FINISHED = "finished";
    static final String ENTERED_IN_ERROR = "entered-in-error";

    Episode {
        Objects.requireNonNull(admitted, "admitted");
        statusTimes = List.copyOf(statusTimes);
        Objects.requireNonNull(lastStatus, "lastStatus");
        arrivals = List.copyOf(arrivals);
        seenOn = List.copyOf(seenOn);
        Objects.requireNonNull(discharged, "discharged");
    }

    /** The stay as first heard of. */
    static Episode of(VisitUpdate update) {
        return new Episode(update.admitted(), List.of(), update.status(), List.of(), List.of(), Optional.empty())
                .merge(update);
    }

    /** This stay with one more version's facts. */
    Episode merge(VisitUpdate update) {
        Set<VisitUpdate.StatusAt> statuses = new LinkedHashSet<>(statusTimes);
        statuses.addAll(update.statusTimes());
        Set<VisitUpdate.Arrival> moves = new LinkedHashSet<>(arrivals);
        moves.addAll(update.arrivals());
        Set<String> seen = new LinkedHashSet<>(seenOn);
        seen.addAll(update.seenOn());
        Optional<Instant> end = update.discharged().isPresent() && (discharged.isEmpty()
                || update.discharged().get().isAfter(discharged.get())) ? update.discharged() : discharged;
        return new Episode(admitted.or(update::admitted),
                statuses.stream().sorted(Comparator.comparing(VisitUpdate.StatusAt::at)).toList(),
                update.status(), moves.stream().sorted(Comparator.comparing(VisitUpdate.Arrival::at)).toList(),
                List.copyOf(seen), end);
    }

    /** The status that stands: the latest timed one, else the last received. */
    String status() {
        return statusTimes.isEmpty() ? lastStatus : statusTimes.get(statusTimes.size() - 1).status();
    }

    /** Whether the stay never happened (cancelled admission or entered in error). */
    boolean isVoid() {
        String status = status();
        return status.equals(CANCELLED) || status.equals(ENTERED_IN_ERROR);
    }

    /** When the stay ended, if it has: the discharge time, else the time it was marked finished. */
    Optional<Instant> end() {
        if (!status().equals(FINISHED)) {
            return Optional.empty();
        }
        if (discharged.isPresent()) {
            return discharged;
        }
        return statusTimes.isEmpty() ? Optional.empty()
                : Optional.of(statusTimes.get(statusTimes.size() - 1).at());
    }

    /** The ward stays of this hospital stay, in time order; empty for a void stay or one never placed. */
    List<WardStay> stays() {
        if (isVoid()) {
            return List.of();
        }
        List<VisitUpdate.Arrival> moves = new ArrayList<>();
        for (VisitUpdate.Arrival arrival : arrivals) {
            if (moves.isEmpty() || !moves.get(moves.size() - 1).ward().equals(arrival.ward())) {
                moves.add(arrival);
            }
        }
        if (moves.isEmpty() && !seenOn.isEmpty() && admitted.isPresent()) {
            moves.add(new VisitUpdate.Arrival(admitted.get(), seenOn.get(0)));
        }
        Optional<Instant> end = end();
        List<WardStay> stays = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            Instant start = moves.get(i).at();
            Optional<Instant> until = i + 1 < moves.size() ? Optional.of(moves.get(i + 1).at()) : end;
            if (end.isPresent() && !start.isBefore(end.get())) {
                break; // an arrival heard after the discharge: the discharge stands until cancelled
            }
            if (until.isEmpty() || until.get().isAfter(start)) {
                stays.add(new WardStay(moves.get(i).ward(), start, until));
            }
        }
        return stays;
    }
}
