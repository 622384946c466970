package org.twinbridge.plugin.ward;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Resource;

/** Reads a {@link VisitUpdate} from an Encounter; anything it cannot use is ignored, never guessed. */
final class EncounterReader {

    private EncounterReader() {
    }

    /** The update, or empty if the resource is not an inpatient-style Encounter with a status. */
    static Optional<VisitUpdate> read(Resource resource) {
        if (!(resource instanceof Encounter encounter) || !encounter.hasStatus()) {
            return Optional.empty();
        }
        List<VisitUpdate.StatusAt> statuses = new ArrayList<>();
        for (Encounter.StatusHistoryComponent history : encounter.getStatusHistory()) {
            if (history.hasStatus() && history.hasPeriod() && history.getPeriod().hasStart()) {
                statuses.add(new VisitUpdate.StatusAt(history.getPeriod().getStart().toInstant(),
                        history.getStatus().toCode()));
            }
        }
        List<VisitUpdate.Arrival> arrivals = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Encounter.EncounterLocationComponent location : encounter.getLocation()) {
            String ward = location.getLocation().getReference();
            if (ward == null || !ward.startsWith("Location/")
                    || location.getStatus() != Encounter.EncounterLocationStatus.ACTIVE) {
                continue;
            }
            if (location.hasPeriod() && location.getPeriod().hasStart()) {
                arrivals.add(new VisitUpdate.Arrival(location.getPeriod().getStart().toInstant(), ward));
            } else {
                seen.add(ward);
            }
        }
        var period = encounter.getPeriod();
        return Optional.of(new VisitUpdate(
                Optional.ofNullable(period.getStart()).map(java.util.Date::toInstant),
                encounter.getStatus().toCode(), statuses, arrivals, seen,
                Optional.ofNullable(period.getEnd()).map(java.util.Date::toInstant)));
    }
}
