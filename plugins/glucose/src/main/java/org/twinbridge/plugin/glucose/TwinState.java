package org.twinbridge.plugin.glucose;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A subject's glucose twin, apart from the CGM window: the forecast model, recent meals and insulin, whether a
 * predicted-hypoglycaemia alert is active, when metrics were last emitted and the latest laboratory values.
 * Immutable.
 *
 * @param model           the forecast model
 * @param doses           carbohydrate and insulin doses of the last hours
 * @param hypoAlertActive true from a predicted-hypoglycaemia alert until the forecast recovers
 * @param lastMetricsAt   the CGM time at which metrics were last emitted
 * @param latestHba1c     the latest HbA1c (NGSP %)
 * @param latestLabGlucose the latest laboratory or point-of-care glucose (mg/dL)
 */
record TwinState(OnlineArxModel.Snapshot model, MealsAndInsulin doses, boolean hypoAlertActive,
        Optional<Instant> lastMetricsAt, Optional<Timed> latestHba1c, Optional<Timed> latestLabGlucose) {

    static final TwinState INITIAL = new TwinState(OnlineArxModel.Snapshot.PRIOR, MealsAndInsulin.NONE, false,
            Optional.empty(), Optional.empty(), Optional.empty());

    TwinState {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(doses, "doses");
        Objects.requireNonNull(lastMetricsAt, "lastMetricsAt");
        Objects.requireNonNull(latestHba1c, "latestHba1c");
        Objects.requireNonNull(latestLabGlucose, "latestLabGlucose");
    }

    TwinState withModel(OnlineArxModel.Snapshot snapshot) {
        return new TwinState(snapshot, doses, hypoAlertActive, lastMetricsAt, latestHba1c, latestLabGlucose);
    }

    TwinState withDoses(MealsAndInsulin newDoses) {
        return new TwinState(model, newDoses, hypoAlertActive, lastMetricsAt, latestHba1c, latestLabGlucose);
    }

    TwinState withHypoAlertActive(boolean active) {
        return new TwinState(model, doses, active, lastMetricsAt, latestHba1c, latestLabGlucose);
    }

    TwinState withLastMetricsAt(Instant at) {
        return new TwinState(model, doses, hypoAlertActive, Optional.of(at), latestHba1c, latestLabGlucose);
    }

    TwinState withLatestHba1c(Timed value) {
        return new TwinState(model, doses, hypoAlertActive, lastMetricsAt, Optional.of(value), latestLabGlucose);
    }

    TwinState withLatestLabGlucose(Timed value) {
        return new TwinState(model, doses, hypoAlertActive, lastMetricsAt, latestHba1c, Optional.of(value));
    }

    /**
     * A value with its time.
     *
     * @param value in the unit of what it is
     * @param at    when it was true
     */
    record Timed(double value, Instant at) {

        Timed {
            Objects.requireNonNull(at, "at");
        }
    }
}
