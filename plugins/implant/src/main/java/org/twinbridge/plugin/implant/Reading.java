package org.twinbridge.plugin.implant;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;

/** One device measurement at a time. */
record Reading(Measure measure, Instant at, double value) {

    Reading {
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(at, "at");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a reading's value must be finite");
        }
    }

    /**
     * The reading an Observation carries: a known code, a final or amended status, an effective time and a
     * quantity in the measure's unit. Anything else gives nothing.
     */
    static Optional<Reading> of(Resource resource) {
        if (!(resource instanceof Observation o) || !o.hasValueQuantity() || !o.hasEffectiveDateTimeType()
                || o.getEffectiveDateTimeType().getValue() == null) {
            return Optional.empty();
        }
        if (o.getStatus() == Observation.ObservationStatus.ENTEREDINERROR
                || o.getStatus() == Observation.ObservationStatus.CANCELLED
                || o.getStatus() == Observation.ObservationStatus.PRELIMINARY) {
            return Optional.empty();
        }
        Optional<Measure> measure = Optional.empty();
        for (Coding coding : o.getCode().getCoding()) {
            measure = Measure.of(coding.getSystem(), coding.getCode());
            if (measure.isPresent()) {
                break;
            }
        }
        Quantity q = o.getValueQuantity();
        if (measure.isEmpty() || !q.hasValue() || q.hasComparator()
                || !measure.get().unit().equals(q.getCode())) {
            return Optional.empty();
        }
        double value = q.getValue().doubleValue();
        if (!Double.isFinite(value) || value < 0) {
            return Optional.empty();
        }
        return Optional.of(new Reading(measure.get(), o.getEffectiveDateTimeType().getValue().toInstant(), value));
    }
}
